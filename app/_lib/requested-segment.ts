import { headers } from "next/headers";
import { REQUEST_PATH_HEADER } from "@/lib/server/requestPath";

/** The last segment of the path this page request is for, decoded ("" when unknown): what a not-found page names. */
export async function requestedSegment(): Promise<string> {
  const path = (await headers()).get(REQUEST_PATH_HEADER) ?? "";
  const last = path.split("/").filter(Boolean).pop() ?? "";
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}
