import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPageCache, joinWithNonce, nonceOf, pageKey, splitAtNonce } from "./pageCache.ts";
import { wagmiCookie } from "./wagmiCookie.ts";

const page = (url: string, headers: Record<string, string> = {}, method = "GET") => ({ method, url, headers });

it("a plain page load is cached by URL (query included) and the wagmi cookie, other cookies ignored", () => {
  expect(pageKey(page("/"))).toBe("/\n");
  expect(pageKey(page("/accounts?q=0xab"))).toBe("/accounts?q=0xab\n");
  expect(pageKey(page("/", { cookie: "theme=dark; wagmi.store=abc; wagmi.recentConnectorId=x" }))).toBe("/\nwagmi.store=abc; wagmi.recentConnectorId=x");
  expect(pageKey(page("/", { cookie: "theme=dark" }))).toBe(pageKey(page("/")));
});

it("what is not a plain page load goes to Next: other methods, RSC and prefetch requests, server actions, API routes, static files", () => {
  expect(pageKey(page("/", {}, "POST"))).toBeUndefined();
  expect(pageKey(page("/", {}, "HEAD"))).toBeUndefined();
  for (const header of ["rsc", "next-router-state-tree", "next-router-prefetch", "next-action", "purpose", "range"]) expect(pageKey(page("/", { [header]: "1" })), header).toBeUndefined();
  for (const url of ["/api/block", "/api", "/_next/static/chunks/a.js", "/icon.svg", "/favicon.ico"]) expect(pageKey(page(url)), url).toBeUndefined();
  expect(pageKey({ method: "GET", headers: {} })).toBeUndefined();
  expect(pageKey(page("http://evil.example/"))).toBeUndefined();
});

it("wagmiCookie keeps only wagmi's cookies, in order", () => {
  expect(wagmiCookie(undefined)).toBe("");
  expect(wagmiCookie("a=1;wagmi.x=2;  b=3; wagmi.y=4")).toBe("wagmi.x=2; wagmi.y=4");
});

it("nonceOf reads the nonce of a Content-Security-Policy", () => {
  expect(nonceOf("default-src 'self'; script-src 'self' 'nonce-YWJj+/Z=' 'strict-dynamic'")).toBe("YWJj+/Z=");
  expect(nonceOf("default-src 'none'")).toBeUndefined();
  expect(nonceOf(null)).toBeUndefined();
});

it("a page split at its nonce and joined with another is the page with the other nonce everywhere, for any page", () => {
  const nonce = fc.base64String({ minLength: 8, maxLength: 48 }).filter((n) => n.length > 0);
  fc.assert(
    // Markup characters only between the nonces, none of base64's: the nonce occurs only where it was put.
    fc.property(fc.array(fc.string({ unit: fc.constantFrom("<", ">", '"', " ", "\n", ";", "é") }), { maxLength: 6 }), nonce, nonce, (pieces, old, fresh) => {
      const html = Buffer.from(pieces.join(old));
      const parts = splitAtNonce(html, old);
      expect(parts).toHaveLength(Math.max(1, pieces.length));
      expect(joinWithNonce(parts, fresh).toString()).toBe(pieces.join(fresh));
    }),
    { numRuns: 300, seed: 11 },
  );
});

describe("a page cache in front of a server that renders the block it is told (createPageCache)", () => {
  let block = "B1";
  /** Renders of this block wait until released. */
  let heldBlock: string | undefined;
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  /** Blocks whose detectors are not in yet: their pages may be rendered for the cache once these resolve true. */
  const detectors = new Map<string, Promise<boolean>>();
  const servers: Server[] = [];
  const listen = async (handler: Parameters<typeof createServer>[1]) => {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  let url = "";
  beforeAll(async () => {
    // The origin stands for Next: a page naming the block it shows, with its nonce in the page and the policy.
    const origin = await listen(async (request, response) => {
      const shown = block;
      if (shown === heldBlock) await held;
      const nonce = Buffer.from(`${shown}-${request.url}`).toString("base64");
      response.writeHead(200, { "content-type": "text/html", "content-security-policy": `script-src 'nonce-${nonce}'` });
      response.end(`<p>${request.url} at ${shown}</p><script nonce="${nonce}"></script>`);
    });
    const cache = createPageCache({ origin, cacheableBlock: async () => block, publishedBlock: () => block, ready: (b) => detectors.get(b) ?? Promise.resolve(true) });
    url = await listen((request, response) => void cache.serve(request, response).then((served) => served || response.writeHead(404).end()));
  });
  afterAll(() => servers.forEach((s) => s.close()));
  const get = async (path: string) => {
    const response = await fetch(`${url}${path}`, { headers: { "accept-encoding": "identity" } });
    return { text: await response.text(), block: response.headers.get("x-backstop-page-cache") };
  };

  it("serves a page the block before while the new block's fill is under way, and the new one once it is filled", async () => {
    expect(await get("/")).toMatchObject({ block: "block B1", text: expect.stringContaining("/ at B1") });
    [block, heldBlock] = ["B2", "B2"];
    expect(await get("/")).toMatchObject({ block: "block B1", text: expect.stringContaining("/ at B1") });
    // A page the cache has not seen at B1 has nothing to be served meanwhile: it waits for its fill.
    const markets = get("/markets");
    release();
    expect(await markets).toMatchObject({ block: "block B2", text: expect.stringContaining("/markets at B2") });
    await expect.poll(async () => (await get("/")).text).toContain("/ at B2");
  });

  it("renders a block's page for the cache only once its detectors are in, the block before's page served meanwhile", async () => {
    let detectorsIn: (ready: boolean) => void = () => {};
    detectors.set("B3", new Promise<boolean>((resolve) => (detectorsIn = resolve)));
    block = "B3";
    expect(await get("/")).toMatchObject({ block: "block B2", text: expect.stringContaining("/ at B2") });
    expect(await get("/")).toMatchObject({ block: "block B2" });
    detectorsIn(true);
    await expect.poll(async () => (await get("/")).block).toBe("block B3");
    // Detectors that never come (late, or the block no longer published): nothing is cached for the block, the request goes to Next (here, a 404).
    detectors.set("B4", Promise.resolve(false));
    block = "B4";
    expect(await fetch(`${url}/`).then((r) => r.status)).toBe(404);
  });
});
