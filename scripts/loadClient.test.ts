/**
 * runLoad against a real HTTP server on 127.0.0.1 (node:http), counting what it was asked for.
 */

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nearestRank, runLoad, runLoadApart } from "./loadClient.ts";

let server: Server;
let origin: string;
const asked = new Map<string, number>();

beforeAll(async () => {
  server = createServer((request, response) => {
    asked.set(request.url!, (asked.get(request.url!) ?? 0) + 1);
    // A connection cut before any answer: the client's error, not a status.
    if (request.url === "/cut") return request.socket.destroy();
    response.writeHead(request.url === "/missing" ? 404 : 200, { "content-type": "text/plain" }).end("ok");
  });
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((closed) => server.close(() => closed())));

describe("runLoad", () => {
  it("asks for every URL of a list, in turn, and counts each answer", async () => {
    asked.clear();
    const paths = ["/a?sort=health", "/a?sort=address&offset=100", "/b"];
    const result = await runLoad({ url: paths.map((p) => `${origin}${p}`), connections: 2, durationSec: 0.3 });
    expect([...asked.keys()].sort()).toEqual([...paths].sort());
    const counts = paths.map((p) => asked.get(p)!);
    // In turn: no URL is asked for more than once per client beyond any other.
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(2);
    expect(result.requests).toBe(counts.reduce((a, b) => a + b, 0));
    expect(result.errors).toBe(0);
    expect(result.non2xx).toBe(0);
    expect(result.bytes).toBe(2 * result.requests);
  });

  it("counts an answer other than 2xx as such, and says which status it was", async () => {
    const result = await runLoad({ url: `${origin}/missing`, connections: 1, durationSec: 0.1 });
    expect(result.requests).toBeGreaterThan(0);
    expect(result.non2xx).toBe(result.requests);
    expect(Object.keys(result.failures)).toEqual(["HTTP 404"]);
    expect(result.failures["HTTP 404"]!.count).toBe(result.requests);
  });

  it("counts a request with no answer as an error, by its kind, and when the first came", async () => {
    asked.clear();
    const result = await runLoad({ url: [`${origin}/a`, `${origin}/cut`], connections: 1, durationSec: 0.3 });
    expect(result.errors).toBe(asked.get("/cut"));
    expect(result.errors).toBeGreaterThan(0);
    const kinds = Object.entries(result.failures);
    expect(kinds).toHaveLength(1);
    const [kind, { count, firstAtSec }] = kinds[0]!;
    expect(kind).toMatch(/^UND_ERR_SOCKET/);
    expect(count).toBe(result.errors);
    expect(firstAtSec).toBeGreaterThanOrEqual(0);
    expect(firstAtSec).toBeLessThan(0.3);
  });

  it("runs on a thread of its own (runLoadApart) with the same counts, its latencies ascending", async () => {
    asked.clear();
    const result = await runLoadApart({ url: [`${origin}/a`, `${origin}/missing`], connections: 2, durationSec: 0.3 });
    expect(result.requests).toBe((asked.get("/a") ?? 0) + (asked.get("/missing") ?? 0));
    expect(result.requests).toBeGreaterThan(2);
    expect(result.non2xx).toBe(asked.get("/missing"));
    expect(result.failures["HTTP 404"]!.count).toBe(asked.get("/missing"));
    expect(result.percentile(1)).toBeGreaterThan(0);
    expect(result.percentile(1)).toBeLessThanOrEqual(result.percentile(50));
    expect(result.percentile(50)).toBeLessThanOrEqual(result.percentile(100));
  });

  it("refuses URLs of two origins, on its own thread too", async () => {
    await expect(runLoadApart({ url: [`${origin}/a`, "http://127.0.0.1:9/b"], connections: 1, durationSec: 0.1 })).rejects.toThrow(/one origin/);
  });

  it("refuses URLs of two origins", async () => {
    await expect(runLoad({ url: [`${origin}/a`, "http://127.0.0.1:9/b"], connections: 1, durationSec: 0.1 })).rejects.toThrow(/one origin/);
  });
});

describe("nearestRank", () => {
  it.each([
    [50, 2],
    [99, 4],
    [100, 4],
    [1, 1],
  ])("the p%i of 1, 2, 3, 4 is %i", (p, expected) => expect(nearestRank([1, 2, 3, 4], p)).toBe(expected));
});
