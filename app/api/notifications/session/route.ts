import { cookies } from "next/headers";
import { apiError, methodsNotAllowed } from "@/lib/api/apiError";
import { parseJsonBody } from "@/lib/api/parseJsonBody";
import { operatorSignInBody } from "@/lib/api/schemas";
import { isOperatorToken, operatorToken, OPERATOR_COOKIE } from "@/lib/server/operator";

export const dynamic = "force-dynamic";

/** POST /api/notifications/session { token } — the operator signs in: the token is kept in an httpOnly, SameSite=Strict cookie for 12 hours. */
export async function POST(request: Request) {
  if (!operatorToken()) return apiError(403, "this server has no BACKSTOP_ADMIN_TOKEN set, so nobody can sign in as its operator");
  const body = await parseJsonBody(request, operatorSignInBody, "sign-in");
  if (!body.ok) return apiError(400, body.error);
  if (!isOperatorToken(body.value.token)) return apiError(401, "that is not this server's operator token (BACKSTOP_ADMIN_TOKEN)");
  (await cookies()).set(OPERATOR_COOKIE, body.value.token, { httpOnly: true, sameSite: "strict", secure: new URL(request.url).protocol === "https:", path: "/", maxAge: 12 * 60 * 60 });
  return new Response(null, { status: 204 });
}

/** DELETE /api/notifications/session — signs out. */
export async function DELETE() {
  (await cookies()).delete(OPERATOR_COOKIE);
  return new Response(null, { status: 204 });
}

export const { GET, PUT, PATCH } = methodsNotAllowed("/api/notifications/session", ["POST", "DELETE"]);
