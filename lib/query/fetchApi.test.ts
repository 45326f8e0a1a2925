import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { blockWire } from "../api/wire.ts";
import { ApiError, fetchApiJson, fetchApiText } from "./fetchApi.ts";

/** A real HTTP server on 127.0.0.1 answering as the dashboard's routes do. */
let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === "/ok") return void response.writeHead(200, { "content-type": "application/json" }).end('{"blockNumber":"7"}');
    if (request.url === "/block") return void response.writeHead(200, { "content-type": "application/json" }).end('{"blockNumber":"7","blockHash":"0xab","timestamp":"1700000000","stale":null}');
    if (request.url?.startsWith("/block-as-number")) return void response.writeHead(200, { "content-type": "application/json" }).end('{"blockNumber":7,"blockHash":"0xab","timestamp":"1700000000","stale":null}');
    if (request.url === "/half-body") return void response.writeHead(200, { "content-type": "application/json" }).end('{"blockNumber":"7",');
    if (request.url === "/refused") return void response.writeHead(400, { "content-type": "application/json" }).end('{"error":"account must be an address"}');
    response.writeHead(502, { "content-type": "text/html" }).end("<html>Bad gateway</html>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("fetchApi", () => {
  it("reads a route's body as JSON or as text", async () => {
    expect(await fetchApiJson(`${base}/ok`, z.object({ blockNumber: z.string() }))).toEqual({ blockNumber: "7" });
    expect(await fetchApiText(`${base}/ok`)).toBe('{"blockNumber":"7"}');
  });

  it("throws the route's own words with its status, or the status alone when the body is not the API's", async () => {
    await expect(fetchApiJson(`${base}/refused`, blockWire)).rejects.toEqual(new ApiError("account must be an address", 400));
    await expect(fetchApiText(`${base}/proxy-page`)).rejects.toMatchObject({ name: "ApiError", status: 502, message: "the dashboard server answered 502" });
  });

  it("parses a body with the route's wire schema and returns it typed", async () => {
    const block = await fetchApiJson(`${base}/block`, blockWire);
    expect(block.blockNumber).toBe("7");
    expect(block.stale).toBeNull();
  });

  it("a body of another shape is an ApiError naming the route and the field, not a crash later", async () => {
    const error = await fetchApiJson(`${base}/block-as-number?account=0x1`, blockWire).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toMatch(/^\S+\/block-as-number answered in an unexpected shape \(blockNumber: /);
    expect((error as ApiError).message).not.toContain("account=");
    expect((error as ApiError).details).toContain("blockNumber");
  });

  it("a body cut short is an ApiError saying it is not JSON", async () => {
    await expect(fetchApiJson(`${base}/half-body`, blockWire)).rejects.toMatchObject({ name: "ApiError", message: expect.stringMatching(/half-body answered a body that is not JSON$/) });
  });
});
