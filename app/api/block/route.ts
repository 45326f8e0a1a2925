import { apiError, methodsNotAllowed } from "@/lib/api/apiError";
import { sharedJsonResponse } from "@/lib/api/sharedJsonResponse";
import { answerBlock } from "@/lib/server/blockAnswer";

export const dynamic = "force-dynamic";

/**
 * The block the server's snapshot is at, for the browser's live updates; 503 with a reason when
 * the chain cannot be read. The production server answers GET before Next does
 * (lib/server/directRoutes), the same answer.
 */
export async function GET(request: Request) {
  const answer = await answerBlock(new URL(request.url).searchParams);
  if (!answer.ok) return apiError(answer.status, answer.error);
  // With its length (Next would send it chunked), so the server does not compress 150 bytes.
  const response = sharedJsonResponse(request, { identity: answer.body });
  for (const [name, value] of Object.entries(answer.headers)) response.headers.set(name, value);
  return response;
}

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("/api/block", ["GET"]);
