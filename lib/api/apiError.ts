/**
 * The API routes' one error shape: `{ error: "a sentence naming what was wrong" }` with a 4xx
 * status for bad input (5xx only when the chain itself cannot be read), never cached. A route may
 * add fields of its own beside it (the relay names the rule that refused).
 */

export function apiError(status: number, message: string, headers: Record<string, string> = {}, fields: Record<string, string> = {}): Response {
  return Response.json({ ...fields, error: message }, { status, headers: { "cache-control": "no-store", ...headers } });
}

/**
 * Handlers for the methods a route does not take: 405 with the methods it does take (Next.js
 * would answer an unhandled method with an empty 405 body).
 */
export function methodsNotAllowed(route: string, allowed: readonly string[]) {
  const handler = async (request: Request) => apiError(405, `${route} does not take ${request.method}; use ${allowed.join(" or ")}`, { allow: allowed.join(", ") });
  return { POST: handler, PUT: handler, PATCH: handler, DELETE: handler, GET: handler };
}
