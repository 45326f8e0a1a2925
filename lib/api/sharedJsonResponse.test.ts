import { gunzipSync, gzipSync } from "node:zlib";
import { expect, it } from "vitest";
const ENCODING = "x-backstop-content-encoding";
const LENGTH = "x-backstop-content-length";
import { sharedJsonResponse } from "./sharedJsonResponse.ts";

const utf8 = new TextEncoder();
const request = (acceptEncoding?: string) => new Request("http://127.0.0.1/api/x", { headers: acceptEncoding ? { "accept-encoding": acceptEncoding } : {} });

it("sends the chunks in order as one JSON body, with its length in bytes", async () => {
  const response = sharedJsonResponse(request(), { identity: [utf8.encode('{"rows":'), utf8.encode('["é",1]'), utf8.encode("}")] });
  expect(response.headers.get("content-type")).toBe("application/json");
  expect(response.headers.get(LENGTH)).toBe(String(utf8.encode('{"rows":["é",1]}').byteLength));
  expect(response.headers.get(ENCODING)).toBeNull();
  expect(await response.json()).toEqual({ rows: ["é", 1] });
});

it("sends the gzipped body to a client that takes gzip, the plain one to a client that does not", async () => {
  const identity = utf8.encode(JSON.stringify({ rows: Array.from({ length: 100 }, (_, i) => i) }));
  const gzip = new Uint8Array(gzipSync(identity));
  const browser = sharedJsonResponse(request("gzip, deflate, br, zstd"), { identity, gzip });
  expect(browser.headers.get(ENCODING)).toBe("gzip");
  expect(browser.headers.get("vary")).toBe("Accept-Encoding");
  expect(browser.headers.get(LENGTH)).toBe(String(gzip.byteLength));
  expect(JSON.parse(gunzipSync(Buffer.from(await browser.arrayBuffer())).toString())).toEqual({ rows: Array.from({ length: 100 }, (_, i) => i) });
  const plain = sharedJsonResponse(request("identity"), { identity, gzip });
  expect(plain.headers.get(ENCODING)).toBeNull();
  expect(plain.headers.get("vary")).toBe("Accept-Encoding");
  expect((await plain.json()).rows).toHaveLength(100);
});

it("leaves the shared bytes whole: the same chunk serves a second response after the first was read", async () => {
  const shared = utf8.encode(JSON.stringify({ accounts: Array.from({ length: 1000 }, (_, i) => i) }));
  const copy = shared.slice();
  await sharedJsonResponse(request(), { identity: shared }).arrayBuffer();
  expect(shared.byteLength).toBe(copy.byteLength); // not detached
  expect(shared).toEqual(copy);
  expect(await sharedJsonResponse(request(), { identity: shared }).text()).toBe(new TextDecoder().decode(copy));
});
