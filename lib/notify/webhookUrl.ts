/**
 * checkWebhookUrl(text, { allowPrivate }) — whether Backstop may send webhooks to a URL: http or
 * https only, no credentials in it, and — unless private receivers are allowed — a host that
 * resolves only to public addresses. A server that POSTs wherever it is told is a way into the
 * network it sits in (SSRF: the cloud metadata endpoint at 169.254.169.254, an admin port on
 * 127.0.0.1); production refuses loopback, private, link-local and other special-use addresses
 * unless BACKSTOP_ALLOW_PRIVATE_WEBHOOKS=1 (tests and the demo, whose receivers are local).
 * The check runs when a subscription is made and again before every delivery, since a name may
 * resolve elsewhere later.
 */

import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

const special = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  special.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
  ["64:ff9b::", 96],
] as const)
  special.addSubnet(net, prefix, "ipv6");

/** Whether an IP address is loopback, private, link-local, shared, multicast or otherwise not a public host. */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return isPrivateAddress(mapped);
  const family = isIP(address);
  if (family === 0) return true;
  return special.check(address, family === 4 ? "ipv4" : "ipv6");
}

/** Private receivers are allowed outside production, and in production with BACKSTOP_ALLOW_PRIVATE_WEBHOOKS=1. */
export function privateWebhooksAllowed(env: Record<string, string | undefined> = process.env): boolean {
  return env.BACKSTOP_ALLOW_PRIVATE_WEBHOOKS === "1" || env.NODE_ENV !== "production";
}

export type CheckWebhookUrlReturnType = { ok: true; url: string } | { ok: false; error: string };

export async function checkWebhookUrl(text: string, { allowPrivate = privateWebhooksAllowed(), resolve = defaultResolve }: { allowPrivate?: boolean; resolve?: (host: string) => Promise<string[]> } = {}): Promise<CheckWebhookUrlReturnType> {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return { ok: false, error: `"${text}" is not a URL` };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, error: `webhooks are sent over http or https, not ${url.protocol.replace(":", "")}` };
  if (url.username || url.password) return { ok: false, error: "the URL must not carry a user name or password" };
  if (allowPrivate) return { ok: true, url: url.toString() };
  const host = url.hostname.replace(/^\[|\]$/g, "");
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await resolve(host);
  } catch {
    return { ok: false, error: `the host name ${host} does not resolve` };
  }
  const inside = addresses.find(isPrivateAddress);
  if (inside !== undefined) return { ok: false, error: `${host} is a private or loopback address (${inside}); this server sends webhooks only to public hosts (BACKSTOP_ALLOW_PRIVATE_WEBHOOKS=1 allows others)` };
  return { ok: true, url: url.toString() };
}

async function defaultResolve(host: string): Promise<string[]> {
  return (await lookup(host, { all: true })).map((a) => a.address);
}
