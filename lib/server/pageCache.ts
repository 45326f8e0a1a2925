/**
 * A per-block cache of rendered pages, so that a page is rendered once per block and not once
 * per visitor. A page here is a function of the published block (lib/server/snapshot.ts), its
 * URL and the wallet's cookie (the root layout reads wagmi's): 50 visitors of the overview at
 * the same block get the same HTML. Rendering it is what a page request costs (about 10 ms of
 * the one request thread for the overview at 5,000 accounts); serving it from here costs a
 * copy.
 *
 * Each page carries the Content-Security-Policy nonce of its response (proxy.ts), which must be
 * fresh per response: a cached page is stored split at its nonce, and every response gets a new
 * nonce in the page and in its CSP header. The parts are compressed once (lib/server/gzipSlots),
 * so a browser's gzip response costs no compression either. A page is cached only when the block it would show
 * is the published one, live (not the last good block of a chain that cannot be read), rendered
 * once its detectors are in (a block is published before them: the fill waits for them, the
 * block before's page served meanwhile), and only if that block is still the published one once
 * the render is done.
 * React Server Component requests (client navigations, the live refresh), prefetches, server
 * actions and anything but GET go to Next as they are.
 *
 * A new block's page is filled once, by the first request for it; the others wait for that fill,
 * at most FILL_WAIT_MS when the previous block's page is in the cache, which they get after that:
 * under load a render takes long, and all of a page's visitors waited for it once a block (the
 * overview's p99 was over 1 s under `npm run load`). It is the rule the snapshot itself follows
 * (lib/server/snapshot: FRESH_WAIT_MS): a page shows the new block as soon as it is ready, the
 * block before it meanwhile.
 *
 * Filling is a request to this same server, marked (FILL_HEADER) so that Next renders it rather
 * than this cache, with the visitor's wagmi cookie only. A visitor who sends the mark gets a page
 * rendered for them: what every page cost without the cache, nothing more.
 */

import type { IncomingMessage, ServerResponse } from "node:http";
import { acceptsGzip } from "./encoding.ts";
import { compressParts, gzipWithSlots, type CompressedParts } from "./gzipSlots.ts";
import { newNonce } from "./securityHeaders.ts";
import { wagmiCookie } from "./wagmiCookie.ts";

/** Requests that must reach Next: they ask for something else than the page's HTML. */
const NEXT_ONLY_HEADERS = ["rsc", "next-router-state-tree", "next-router-prefetch", "next-action", "purpose", "range"];
/** Paths that are not pages, or pages that depend on more than the block and the wallet (/notifications: the operator's cookie). */
const NOT_PAGES = /^\/(?:api|_next|notifications)(?:\/|$)|\.[a-z0-9]+$/i;
/** Response headers that describe one transfer, not the page. */
const TRANSFER_HEADERS = new Set(["connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding", "date", "set-cookie"]);
const FILL_HEADER = "x-backstop-page-fill";
/** Beyond this many cached pages for one block (distinct URLs and cookies), the cache starts again. */
const MAX_ENTRIES = 500;
/** How long a request waits for its page's fill before it is served the previous block's page, when there is one. */
export const FILL_WAIT_MS = 250;

export interface PageRequest {
  method?: string;
  url?: string;
  headers: IncomingMessage["headers"];
}

/** The cache key of a page request (URL and wagmi cookie), or undefined when it must go to Next. */
export function pageKey(request: PageRequest): string | undefined {
  if (request.method !== "GET" || !request.url?.startsWith("/")) return undefined;
  if (NEXT_ONLY_HEADERS.some((h) => request.headers[h] !== undefined)) return undefined;
  const path = request.url.split("?")[0]!;
  if (NOT_PAGES.test(path)) return undefined;
  return `${request.url}\n${wagmiCookie(request.headers.cookie)}`;
}


/** The nonce of a page's Content-Security-Policy header. */
export function nonceOf(policy: string | null | undefined): string | undefined {
  return policy?.match(/'nonce-([A-Za-z0-9+/=]+)'/)?.[1];
}

/** The page's bytes cut at every occurrence of its nonce: n occurrences, n + 1 parts. */
export function splitAtNonce(body: Buffer, nonce: string): Buffer[] {
  const parts: Buffer[] = [];
  let from = 0;
  for (let at = body.indexOf(nonce, 0, "latin1"); at !== -1; at = body.indexOf(nonce, from, "latin1")) {
    parts.push(body.subarray(from, at));
    from = at + nonce.length;
  }
  parts.push(body.subarray(from));
  return parts;
}

/** The page with `nonce` where its nonce was. */
export function joinWithNonce(parts: readonly Buffer[], nonce: string): Buffer {
  const n = Buffer.from(nonce, "latin1");
  return Buffer.concat(parts.flatMap((part, i) => (i === 0 ? [part] : [n, part])));
}

interface CachedPage {
  /** The block it shows. */
  block: string;
  status: number;
  headers: [string, string][];
  /** The page split at its nonce, and those parts compressed (lib/server/gzipSlots). */
  compressed: CompressedParts;
  /** The nonce it was rendered with (in its headers). */
  nonce: string;
}

export interface PageCacheOptions {
  /** This server's own origin, e.g. http://127.0.0.1:3000 (fills are requests to it). */
  origin: string;
  /** The block a page rendered now would show, if it may be cached (see above); undefined if not. */
  cacheableBlock(): Promise<string | undefined>;
  /** The published block now, to check that a fill's render saw the same block. */
  publishedBlock(): string | undefined;
  /** Resolves when a page of `block` may be rendered for the cache (its detectors are in): true, or false if it may not (they are late, or another block is published). */
  ready(block: string): Promise<boolean>;
}

export interface PageCache {
  /** Answers the request from the cache (filling it first if need be) and returns true, or returns false: the caller hands the request to Next. */
  serve(request: IncomingMessage, response: ServerResponse): Promise<boolean>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createPageCache({ origin, cacheableBlock, publishedBlock, ready }: PageCacheOptions): PageCache {
  let cacheBlock: string | undefined;
  const pages = new Map<string, Promise<CachedPage | undefined>>();
  /** The pages filled for cacheBlock, and for the block before it (served while a page's fill is under way). */
  let filled = new Map<string, CachedPage>();
  let previous = new Map<string, CachedPage>();

  async function fill(request: IncomingMessage, block: string): Promise<CachedPage | undefined> {
    if (!(await ready(block))) return undefined;
    const cookie = wagmiCookie(request.headers.cookie);
    const response = await fetch(`${origin}${request.url}`, {
      headers: { [FILL_HEADER]: "1", "accept-encoding": "identity", accept: "text/html", ...(cookie ? { cookie } : {}) },
      redirect: "manual",
    });
    const body = Buffer.from(await response.arrayBuffer());
    const nonce = nonceOf(response.headers.get("content-security-policy"));
    if (response.status !== 200 || !nonce || publishedBlock() !== block) return undefined;
    const headers = [...response.headers].filter(([name]) => !TRANSFER_HEADERS.has(name));
    return { block, status: response.status, headers, compressed: await compressParts(splitAtNonce(body, nonce)), nonce };
  }

  return {
    async serve(request, response) {
      if (request.headers[FILL_HEADER] !== undefined) return false; // a fill: Next renders it
      const key = pageKey(request);
      if (key === undefined) return false;
      const block = await cacheableBlock();
      if (block === undefined) return false;
      if (block !== cacheBlock) {
        [previous, filled] = [filled, new Map()];
        pages.clear();
        cacheBlock = block;
      } else if (pages.size >= MAX_ENTRIES) {
        pages.clear();
        filled.clear();
      }
      let page = pages.get(key);
      if (!page) {
        page = fill(request, block).catch(() => undefined);
        pages.set(key, page);
        const filling = page;
        void filling.then((p) => {
          if (!p) return pages.get(key) === filling && pages.delete(key);
          if (p.block === cacheBlock) filled.set(key, p);
        });
      }
      const before = previous.get(key);
      const cached = before ? await Promise.race([page, sleep(FILL_WAIT_MS).then(() => before)]) : await page;
      if (!cached) return false;

      const nonce = newNonce();
      const gzip = acceptsGzip(request.headers["accept-encoding"]?.toString());
      const { parts } = cached.compressed;
      const body = gzip ? gzipWithSlots(cached.compressed, parts.slice(1).map(() => Buffer.from(nonce, "latin1"))) : joinWithNonce(parts, nonce);
      for (const [name, value] of cached.headers) response.setHeader(name, value.split(cached.nonce).join(nonce));
      response.setHeader("vary", [response.getHeader("vary"), "Accept-Encoding"].filter(Boolean).join(", "));
      if (gzip) response.setHeader("content-encoding", "gzip");
      response.setHeader("content-length", body.byteLength);
      response.setHeader("x-backstop-page-cache", `block ${cached.block}`);
      response.writeHead(cached.status);
      response.end(body);
      return true;
    },
  };
}
