import { get, request } from "node:http";
import { gunzipSync } from "node:zlib";
import { expect, test } from "@playwright/test";
import { createTestClient, http } from "viem";
import { foundry } from "viem/chains";
import { e2eChain } from "./fixtures/chain.ts";

/**
 * How the production server (scripts/serve.ts) serves under load, checked from the outside:
 * pages rendered once per block with a fresh nonce per response, bodies compressed once, and a
 * new block rendered anew.
 */

/** A raw GET (no decompression), as a browser's network layer receives it. */
function rawGet(path: string, headers: Record<string, string> = {}) {
  const base = new URL(test.info().project.use.baseURL!);
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) =>
    get({ host: base.hostname, port: base.port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c)).on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) })).on("error", reject);
    }).on("error", reject),
  );
}

const nonceOf = (policy: unknown) => /'nonce-([^']+)'/.exec(String(policy))?.[1];

test("a page is rendered once per block: the next visitor gets it from the cache, the same page with its own nonce, gzipped for a browser", async () => {
  const block = async () => ((await (await fetch(`${test.info().project.use.baseURL}/api/block`)).json()) as { blockHash: string }).blockHash;
  let first, second;
  let atBlock = "";
  // Two loads at the same block (a keeper or feed could mine between them: then try again). The
  // first visitor of a new block may be served the block before's page while the new one's fill
  // waits for its detectors (lib/server/pageCache): then too.
  const ofBlock = (response: { headers: Record<string, unknown> }) => [undefined, `block ${atBlock}`].includes(response.headers["x-backstop-page-cache"] as string | undefined);
  for (let attempt = 0; ; attempt++) {
    atBlock = await block();
    first = await rawGet("/");
    second = await rawGet("/", { "accept-encoding": "gzip, deflate, br, zstd" });
    if (((await block()) === atBlock && ofBlock(first)) || attempt === 5) break;
  }
  expect(first.status).toBe(200);
  expect(second.status).toBe(200);
  expect(second.headers["x-backstop-page-cache"]).toBe(`block ${atBlock}`);
  expect(second.headers["content-encoding"]).toBe("gzip");
  expect(Number(second.headers["content-length"])).toBe(second.body.length);
  const [n1, n2] = [nonceOf(first.headers["content-security-policy"]), nonceOf(second.headers["content-security-policy"])];
  expect(n1).toBeTruthy();
  expect(n2).toBeTruthy();
  expect(n2).not.toBe(n1);
  const html1 = first.body.toString();
  const html2 = gunzipSync(second.body).toString();
  expect(html2).not.toContain(n1!);
  expect(html2.split(n2!).join("NONCE")).toBe(html1.split(n1!).join("NONCE"));
  expect(second.body.length).toBeLessThan(first.body.length / 3);
});

test("a new block is rendered anew: the cached overview follows the chain", async ({ page }) => {
  const chain = e2eChain();
  const testClient = createTestClient({ chain: foundry, mode: "anvil", transport: http(chain.rpcUrl) });
  await page.goto("/");
  const shown = async () => Number(/Block\s*<span[^>]*>#(?:<!-- -->)?(\d+)/.exec(await (await fetch(`${test.info().project.use.baseURL}/`)).text())?.[1]);
  const before = await shown();
  await testClient.mine({ blocks: 1 });
  const head = Number(await chain.client.getBlockNumber());
  expect(head).toBeGreaterThan(before);
  await expect.poll(shown, { timeout: 15_000 }).toBe(head);
  // The browser's page follows by itself too (live refresh).
  await expect(page.getByText(`#${head}`).first()).toBeVisible({ timeout: 15_000 });
});

test("GET /api/accounts and /api/block, answered before Next (lib/server/directRoutes), have the headers Next gives the same route's HEAD", async () => {
  const base = new URL(test.info().project.use.baseURL!);
  const head = (path: string, headers: Record<string, string>) =>
    new Promise<{ status: number; headers: Record<string, string | string[] | undefined> }>((resolve, reject) =>
      request({ method: "HEAD", host: base.hostname, port: base.port, path, headers }, (res) => resolve({ status: res.statusCode ?? 0, headers: res.headers })).on("error", reject).end(),
    );
  // What is the same for any response of the route (not its date, length or connection); Vary apart: Next's names its own page-router headers too.
  // A block's Server-Timing is its read's, which the next block (the keeper's transactions) may replace between the two requests: its shape is checked.
  const kept = ({ status, headers }: { status: number; headers: Record<string, string | string[] | undefined> }) => ({
    status,
    headers: Object.fromEntries(Object.entries(headers).filter(([name]) => !["date", "content-length", "connection", "keep-alive", "transfer-encoding", "vary", "server-timing"].includes(name))),
    serverTiming: headers["server-timing"] === undefined ? undefined : /^\w+;dur=\d+\.\d(, \w+;dur=\d+\.\d)*$/.test(String(headers["server-timing"])),
    varyAcceptEncoding: String(headers.vary ?? "").includes("Accept-Encoding"),
  });
  for (const [path, accept] of [
    ["/api/accounts?sort=health&dir=desc", { "accept-encoding": "gzip" }],
    ["/api/accounts?sort=health", {}],
    ["/api/accounts?limit=-1", {}],
    ["/api/block", { "accept-encoding": "gzip" }],
    ["/api/block?at=1", {}],
  ] as const) {
    const [direct, next] = [await rawGet(path, accept), await head(path, accept)];
    expect(kept(direct), path).toEqual(kept(next));
    expect(direct.headers["content-security-policy"], path).toBe("default-src 'none'; frame-ancestors 'none'");
  }
});

test("the snapshot and accounts bodies are gzipped once per block for a client that takes gzip, with their length, and equal the plain ones", async () => {
  for (const path of ["/api/snapshot", "/api/accounts"]) {
    const plain = await rawGet(path);
    const gzipped = await rawGet(path, { "accept-encoding": "gzip" });
    expect(plain.headers["content-encoding"], path).toBeUndefined();
    expect(gzipped.headers["content-encoding"], path).toBe("gzip");
    expect(Number(gzipped.headers["content-length"]), path).toBe(gzipped.body.length);
    expect(Number(plain.headers["content-length"]), path).toBe(plain.body.length);
    expect(Object.keys(gzipped.headers).filter((h) => h.startsWith("x-backstop-content")), path).toEqual([]);
    const a = JSON.parse(plain.body.toString()) as { blockHash: string };
    const b = JSON.parse(gunzipSync(gzipped.body).toString()) as { blockHash: string };
    if (a.blockHash === b.blockHash) expect(b, path).toEqual(a);
  }
});
