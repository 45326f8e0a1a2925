/**
 * The dashboard's HTTP security headers, in one place: next.config.ts sends the static ones on
 * every response, proxy.ts the per-request Content-Security-Policy of pages.
 *
 * Pages get Next's recommended strict policy: a fresh nonce per request with 'strict-dynamic'
 * (Next reads the nonce from the request's CSP header and puts it on its own scripts, which may
 * then load the chunks they need). Every page is rendered per request anyway — the root layout
 * reads the request's cookies — so the nonce costs no static rendering. `style-src-attr` allows
 * the `style` attributes React renders for bar widths; `<style>` and stylesheets still need
 * 'self' or the nonce. The browser talks to nothing but this origin (reads go through /api/rpc,
 * writes through the wallet extension, outside the page), so `connect-src 'self'`. The stress
 * lab and the proposal builder run Web Workers from same-origin chunks. Development adds what
 * React's dev tooling needs ('unsafe-eval', inline styles).
 */

/** A fresh nonce for one page response: a random UUID (122 random bits), base64. */
export function newNonce(): string {
  return Buffer.from(crypto.randomUUID()).toString("base64");
}

export interface ContentSecurityPolicyParameters {
  nonce: string;
  dev?: boolean;
}

export function contentSecurityPolicy({ nonce, dev = false }: ContentSecurityPolicyParameters): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' ${dev ? "'unsafe-inline'" : `'nonce-${nonce}'`}`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** API routes answer JSON only: nothing in them may load, run or be framed. */
export const apiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";

/** Sent on every response (pages, API routes, static files). */
export const securityHeaders: { key: string; value: string }[] = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "no-referrer" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "Cross-Origin-Resource-Policy", value: "same-origin" },
  // Ignored over plain http (the demo on 127.0.0.1); binding once the dashboard is served over TLS.
  { key: "Strict-Transport-Security", value: "max-age=63072000" },
];
