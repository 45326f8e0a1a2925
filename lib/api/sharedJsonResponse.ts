/**
 * A JSON response whose body is bytes shared by every request of a block (serialised, and
 * gzipped, once by the block worker), sent without copying them: a Response made from a
 * Uint8Array copies it (1.5 MB per request for 5,000 accounts, most of the request thread's time
 * and garbage under load), while a plain ReadableStream hands the chunks on as they are. The
 * chunks are never detached or changed, so the next request can send them again. A client that
 * takes gzip (every browser) gets the gzipped body when there is one (its encoding and length in
 * the headers the server turns into the real ones: see lib/server/encoding). Small bodies made
 * per request (/api/block) go through here too, for their length: the server compresses nothing
 * under 1 kB it knows the length of.
 */

import { acceptsGzip, bodyHeaders } from "../server/encoding.ts";

export function sharedJsonResponse(request: Request, body: { identity: readonly Uint8Array[] | Uint8Array; gzip?: Uint8Array }): Response {
  const gzip = body.gzip && acceptsGzip(request.headers.get("accept-encoding"));
  const chunks = gzip ? [body.gzip!] : body.identity instanceof Uint8Array ? [body.identity] : body.identity;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  const length = chunks.reduce((n, c) => n + c.byteLength, 0);
  const headers: Record<string, string> = { "content-type": "application/json", "cache-control": "no-store", ...bodyHeaders({ encoding: gzip ? "gzip" : undefined, length }) };
  if (body.gzip) headers.vary = "Accept-Encoding";
  return new Response(stream, { headers });
}
