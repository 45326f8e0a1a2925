import { apiError, methodsNotAllowed } from "@/lib/api/apiError";
import { serverDatabase } from "@/lib/server/database";
import { answerDraftList } from "@/lib/server/draftRequests";
import { publicErrorMessage } from "@/lib/server/publicError";

export const dynamic = "force-dynamic";

/** GET /api/drafts?author=0x… — the author's drafts, most recently saved first. */
export async function GET(request: Request) {
  try {
    return await answerDraftList(request, { db: await serverDatabase() });
  } catch (error) {
    return apiError(503, `the drafts could not be read: ${publicErrorMessage(error)}`);
  }
}

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("/api/drafts", ["GET"]);
