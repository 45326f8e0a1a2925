/**
 * The bench's block watch on its own thread, against a real HTTP server on 127.0.0.1 playing the
 * node (eth_blockNumber) and the dashboard (/api/block with its Server-Timing).
 */

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { watchBlocksApart } from "./blockWatch.ts";

let server: Server;
let origin: string;
let [head, published] = [10, 9];

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.method === "POST") {
      request.resume().on("end", () => response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", id: 1, result: `0x${head.toString(16)}` })));
      return;
    }
    response.writeHead(200, { "content-type": "application/json", "server-timing": "follow;dur=12.5, views;dur=40" }).end(JSON.stringify({ blockNumber: String(published) }));
  });
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((closed) => server.close(() => closed())));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it("dates each block's appearance at the head and its publication, on a thread of its own, and stops", async () => {
  const watch = watchBlocksApart(origin, origin);
  // Its thread started and looking (tsx compiles its module first).
  for (const deadline = Date.now() + 10_000; !(watch.appeared.has(10n) && watch.published.has(9n)) && Date.now() < deadline; ) await sleep(20);
  // The head jumps two blocks at once; the server publishes the second a while later.
  head = 12;
  await sleep(300);
  published = 12;
  await sleep(300);
  await watch.stop();
  expect([...watch.appeared.keys()]).toEqual([10n, 11n, 12n]);
  expect(watch.appeared.get(11n), "a block skipped between two looks is dated to the look that saw past it").toBe(watch.appeared.get(12n));
  expect([...watch.published.keys()]).toEqual([9n, 12n]);
  expect(watch.published.get(12n)! - watch.appeared.get(12n)!).toBeGreaterThan(200);
  expect(watch.stages.get(12n)).toEqual({ follow: 12.5, views: 40 });
});
