/** Content negotiation for the bodies the server compresses itself (per block, or per cached page). */

import type { ServerResponse } from "node:http";

/** Whether an Accept-Encoding header takes gzip (named, or `*`, with a q-value above 0). */
export function acceptsGzip(header: string | null | undefined): boolean {
  const q = new Map<string, number>();
  for (const item of (header ?? "").split(",")) {
    const [name, ...params] = item.trim().toLowerCase().split(";");
    if (!name) continue;
    const weight = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    q.set(name, weight === undefined ? 1 : Number(weight.slice(2)) || 0);
  }
  return (q.get("gzip") ?? q.get("x-gzip") ?? q.get("*") ?? 0) > 0;
}

/**
 * Headers a route handler sets for a body it encoded itself (once per block): Next drops a
 * route's Content-Encoding and Content-Length (it expects bodies fetch() has already decoded),
 * so the production server (scripts/serve.ts) turns these into the real headers as the response
 * starts (restoreBodyHeaders), and compresses only what is not compressed yet. Without the
 * length, every body went out chunked.
 */
export const BODY_HEADERS = { "x-backstop-content-encoding": "content-encoding", "x-backstop-content-length": "content-length" } as const;

/** The headers of a route's own body encoding and length (see BODY_HEADERS). */
export function bodyHeaders({ encoding, length }: { encoding?: string; length: number }): Record<string, string> {
  return { "x-backstop-content-length": String(length), ...(encoding ? { "x-backstop-content-encoding": encoding } : {}) };
}

/**
 * Makes `response` send BODY_HEADERS as the real headers. Call it after any middleware that
 * wraps writeHead to look at the headers (compression): this wrapper then runs first, and the
 * middleware sees the body as encoded already.
 */
export function restoreBodyHeaders(response: ServerResponse) {
  const writeHead = response.writeHead;
  response.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse["writeHead"]>) {
    for (const [pseudo, real] of Object.entries(BODY_HEADERS)) {
      const value = this.getHeader(pseudo);
      if (value === undefined) continue;
      this.removeHeader(pseudo);
      this.setHeader(real, value);
    }
    return writeHead.apply(this, args);
  } as ServerResponse["writeHead"];
}
