import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiError, fetchApiJson, fetchApiText } from "./fetchApi.ts";

/** A real HTTP server on 127.0.0.1 answering as the dashboard's routes do. */
let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === "/ok") return void response.writeHead(200, { "content-type": "application/json" }).end('{"blockNumber":"7"}');
    if (request.url === "/refused") return void response.writeHead(400, { "content-type": "application/json" }).end('{"error":"account must be an address"}');
    response.writeHead(502, { "content-type": "text/html" }).end("<html>Bad gateway</html>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("fetchApi", () => {
  it("reads a route's body as JSON or as text", async () => {
    expect(await fetchApiJson(`${base}/ok`)).toEqual({ blockNumber: "7" });
    expect(await fetchApiText(`${base}/ok`)).toBe('{"blockNumber":"7"}');
  });

  it("throws the route's own words with its status, or the status alone when the body is not the API's", async () => {
    await expect(fetchApiJson(`${base}/refused`)).rejects.toEqual(new ApiError("account must be an address", 400));
    await expect(fetchApiText(`${base}/proxy-page`)).rejects.toMatchObject({ name: "ApiError", status: 502, message: "the dashboard server answered 502" });
  });
});
