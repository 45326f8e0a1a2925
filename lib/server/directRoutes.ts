/**
 * The API routes the production server (scripts/serve.ts) answers itself, before Next: those a
 * dashboard asks for most — a page of the accounts table (bytes made once per block) and the
 * block every open page asks for every few seconds. Through Next, a request for a page of the
 * accounts table cost ~0.97 ms of the server's CPU, nearly all of it Next's routing and its web
 * Request and Response; answered here, ~0.07 ms (20,000 accounts, 50 clients on four pages: 1,230
 * → 13,751 requests a second, p99 84 → 13 ms). At 1,000,000 accounts under load the request
 * thread's time is the CPU the block worker does not get.
 *
 * Same answers as the Next routes (they share lib/server/accountsAnswer and blockAnswer), with
 * the headers next.config.ts gives API routes: the security headers and the API's
 * Content-Security-Policy. Anything but a GET of the exact path goes to Next (other methods: its
 * 405s; HEAD; a trailing slash).
 */

import type { IncomingMessage, ServerResponse } from "node:http";
import { answerAccounts } from "./accountsAnswer.ts";
import { answerBlock } from "./blockAnswer.ts";
import { acceptsGzip } from "./encoding.ts";
import { publicErrorMessage } from "./publicError.ts";
import { apiContentSecurityPolicy, securityHeaders } from "./securityHeaders.ts";

const API_HEADERS: Record<string, string> = { ...Object.fromEntries(securityHeaders.map(({ key, value }) => [key, value])), "Content-Security-Policy": apiContentSecurityPolicy };

const ROUTES: Record<string, (search: URLSearchParams, request: IncomingMessage, response: ServerResponse) => Promise<void>> = {
  "/api/block": async (search, _request, response) => {
    const answer = await answerBlock(search);
    if (!answer.ok) return sendError(response, answer.status, answer.error);
    sendJson(response, 200, answer.body, answer.headers);
  },
  "/api/accounts": async (search, request, response) => {
    const answer = await answerAccounts(search);
    if (!answer.ok) return sendError(response, answer.status, answer.error);
    const gzip = acceptsGzip(request.headers["accept-encoding"]);
    sendJson(response, 200, gzip ? answer.body.gzip : answer.body.identity, gzip ? { "content-encoding": "gzip" } : {});
  },
};

function sendJson(response: ServerResponse, status: number, body: Uint8Array, headers: Record<string, string> = {}): void {
  // Vary as Next's compression says it on every JSON answer: a cache must not give a gzipped body to a client that did not ask for one.
  response.writeHead(status, { ...API_HEADERS, "content-type": "application/json", "cache-control": "no-store", vary: "Accept-Encoding", "content-length": String(body.byteLength), ...headers });
  response.end(body);
}

/** The API's error body, `{ error }` in words (apiError's, which makes a web Response: what this path avoids). */
function sendError(response: ServerResponse, status: number, error: string): void {
  sendJson(response, status, Buffer.from(JSON.stringify({ error })));
}

/** Answers `request` if it is a direct route's, and says whether it did (the answer may still be on its way). */
export function serveDirect(request: IncomingMessage, response: ServerResponse): boolean {
  if (request.method !== "GET" || !request.url?.startsWith("/")) return false;
  const q = request.url.indexOf("?");
  const route = ROUTES[q < 0 ? request.url : request.url.slice(0, q)];
  if (!route) return false;
  route(new URLSearchParams(q < 0 ? "" : request.url.slice(q + 1)), request, response).catch((error: unknown) => {
    console.error("serve:", error);
    if (!response.headersSent) sendError(response, 500, publicErrorMessage(error));
  });
  return true;
}
