/**
 * The browser's one way to read the dashboard's API: GET a route, and on failure throw ApiError
 * with the route's own words (every route answers `{ error }` in a sentence) or, when the body is
 * not that, the status. A network failure surfaces as fetch's own TypeError.
 */

import { BackstopError } from "../errors/backstopError.ts";

export class ApiError extends BackstopError {
  override name = "ApiError";
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

async function get(path: string): Promise<Response> {
  const response = await fetch(path, { cache: "no-store" });
  if (response.ok) return response;
  const body = (await response.json().catch(() => ({}))) as { error?: unknown };
  throw new ApiError(typeof body.error === "string" ? body.error : `the dashboard server answered ${response.status}`, response.status);
}

/** A route's JSON body, parsed. */
export async function fetchApiJson<T>(path: string): Promise<T> {
  return (await (await get(path)).json()) as T;
}

/** A route's body as text: JSON with exact bigints (engine/serialize) that a worker parses itself. */
export async function fetchApiText(path: string): Promise<string> {
  return (await get(path)).text();
}
