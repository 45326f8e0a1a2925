import { createServer, get } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync, gzipSync } from "node:zlib";
import { expect, it } from "vitest";
import { acceptsGzip, bodyHeaders, restoreBodyHeaders } from "./encoding.ts";

it.each([
  ["gzip, deflate, br, zstd", true], // Chromium's
  ["br;q=1.0, gzip;q=0.8, *;q=0.1", true],
  ["*", true],
  ["x-gzip", true],
  ["GZIP", true],
  ["identity", false],
  ["", false],
  [undefined, false],
  ["gzip;q=0", false],
  ["gzip;q=0.000, br", false],
  ["*;q=0.5, gzip;q=0", false],
  ["deflate, br", false],
])("Accept-Encoding %j takes gzip: %s", (header, expected) => {
  expect(acceptsGzip(header)).toBe(expected);
});

it("restoreBodyHeaders: a body's own encoding and length, set as x-backstop-* headers, go out as Content-Encoding and Content-Length", async () => {
  const body = gzipSync(Buffer.from('{"ok":true}'));
  const server = createServer((_, response) => {
    restoreBodyHeaders(response);
    response.setHeader("content-type", "application/json");
    for (const [name, value] of Object.entries(bodyHeaders({ encoding: "gzip", length: body.length }))) response.setHeader(name, value);
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const raw = await new Promise<{ headers: Record<string, unknown>; bytes: Buffer }>((resolve, reject) =>
      get({ host: "127.0.0.1", port, path: "/" }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c)).on("end", () => resolve({ headers: res.headers, bytes: Buffer.concat(chunks) })).on("error", reject);
      }).on("error", reject),
    );
    expect(raw.headers["content-encoding"]).toBe("gzip");
    expect(raw.headers["content-length"]).toBe(String(body.length));
    expect(raw.headers["transfer-encoding"]).toBeUndefined();
    expect(Object.keys(raw.headers).filter((h) => h.startsWith("x-backstop"))).toEqual([]);
    expect(JSON.parse(gunzipSync(raw.bytes).toString())).toEqual({ ok: true });
  } finally {
    server.close();
  }
});
