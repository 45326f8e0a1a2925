import fc from "fast-check";
import { expect, it } from "vitest";
import { joinWithNonce, nonceOf, pageKey, splitAtNonce } from "./pageCache.ts";
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
