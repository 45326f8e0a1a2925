import { apiError, methodsNotAllowed } from "@/lib/api/apiError";
import { serverDatabase } from "@/lib/server/database";
import { answerDraft, answerDraftSave } from "@/lib/server/draftRequests";
import { publicErrorMessage } from "@/lib/server/publicError";
import { getContext } from "@/lib/server/snapshot";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

/** GET /api/drafts/ID — one draft, readable by anyone with its link. */
export async function GET(_: Request, { params }: Params) {
  try {
    return await answerDraft((await params).id, { db: await serverDatabase() });
  } catch (error) {
    return apiError(503, `the draft could not be read: ${publicErrorMessage(error)}`);
  }
}

/** PUT /api/drafts/ID — create (version 1) or change (version n + 1) a draft, signed by its author. */
export async function PUT(request: Request, { params }: Params) {
  try {
    const { client, deployment } = await getContext();
    return await answerDraftSave(request, (await params).id, { db: await serverDatabase(), chainId: deployment.chainId, client });
  } catch (error) {
    return apiError(503, `the draft was not saved: ${publicErrorMessage(error)}`);
  }
}

export const { POST, PATCH, DELETE } = methodsNotAllowed("/api/drafts/ID", ["GET", "PUT"]);
