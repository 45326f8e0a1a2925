/**
 * `npm start` — the dashboard's production server: Next.js (a build in .next/, `npm run build`)
 * behind a per-block page cache (lib/server/pageCache.ts), the busiest API routes answered before
 * Next (lib/server/directRoutes.ts). Listens on --hostname (default
 * 127.0.0.1) and --port (default 3000); reads the chain configured by BACKSTOP_* (lib/env.ts).
 * Used by `npm run demo`, `npm run replay`, the browser tests and `npm run load`. Runs the webhook
 * notifications' delivery loop and, while anyone is subscribed, follows the chain for them
 * (lib/server/notifications.ts).
 */

import { createServer, type ServerResponse } from "node:http";
import compression from "compression";
import { parseArgs } from "node:util";
import next from "next";
import { restoreBodyHeaders } from "../lib/server/encoding.ts";
import { createPageCache } from "../lib/server/pageCache.ts";
import { serveDirect } from "../lib/server/directRoutes.ts";
import { messageOf } from "../lib/errors/messageOf.ts";
import { serverDatabase } from "../lib/server/database.ts";
import { startNotifications } from "../lib/server/notifications.ts";
import { monitorSettledWithin } from "../lib/server/monitor.ts";
import { getLatestSnapshot, publishedBlockHash } from "../lib/server/snapshot.ts";
import { watchStallsFromEnvironment } from "../lib/server/stallWatch.ts";

const { values } = parseArgs({
  options: { hostname: { type: "string", default: "127.0.0.1" }, port: { type: "string", default: "3000" } },
  strict: true,
});
const hostname = values.hostname;
const port = Number(values.port);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`serve: --port must be a TCP port (1–65535), got "${values.port}"`);
  process.exit(2);
}

const app = next({ dev: false, hostname, port });
const handle = app.getRequestHandler();
// Backstop's database starts opening now, not at the first request that needs it (the embedded
// one takes seconds to create), and nothing waits for it: pages that do not need it are served
// meanwhile. A failure is said again, in words, by whatever needs the database.
serverDatabase().catch((error: unknown) => console.error(`database: ${messageOf(error)}`));
await app.prepare();
watchStallsFromEnvironment();

/**
 * How long a page request waits to learn its block before the cache steps aside: on a slow node
 * Next renders it, streaming the page's loading skeleton at once instead of a blank wait.
 */
const CACHE_LOOKUP_MS = 150;

const origin = `http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}`;
const cache = createPageCache({
  origin,
  async cacheableBlock() {
    const lookup = getLatestSnapshot().catch(() => undefined);
    const latest = await Promise.race([lookup, new Promise<undefined>((resolve) => setTimeout(resolve, CACHE_LOOKUP_MS))]);
    if (!latest || latest.stale || latest.snapshot.blockHash !== publishedBlockHash()) return undefined;
    return latest.snapshot.blockHash;
  },
  publishedBlock: publishedBlockHash,
  // A page of the block is rendered once its detectors are in (as long as a render would wait for them), and not cached if they are not.
  async ready(block) {
    const latest = await getLatestSnapshot().catch(() => undefined);
    if (latest?.snapshot.blockHash !== block) return false;
    return (await monitorSettledWithin(latest.monitor)) && publishedBlockHash() === block;
  },
});

// gzip for every response the client takes it for (threshold 1 kB), on zlib's thread pool.
const compress = compression();

const server = createServer((request, response) => {
  // The API routes asked for most, answered before Next and its compression (their bodies are compressed once per block).
  if (serveDirect(request, response)) return;
  compress(request as never, response as never, () => {
    restoreBodyHeaders(response);
    serve(request, response);
  });
});

function serve(request: Parameters<typeof handle>[0], response: ServerResponse) {
  cache
    .serve(request, response)
    .catch(() => false)
    .then((served) => {
      if (!served && !response.headersSent) return handle(request, response);
    })
    .catch((error: unknown) => {
      console.error("serve:", error);
      if (!response.headersSent) response.writeHead(500).end();
    });
}
server.listen(port, hostname, () => console.log(`dashboard on http://${hostname}:${port}`));
startNotifications({ publicUrl: origin });

const stop = () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 2000).unref();
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
