import { describe, expect, it } from "vitest";
import { checkWebhookUrl, isPrivateAddress, privateWebhooksAllowed } from "./webhookUrl.ts";

describe("isPrivateAddress", () => {
  it.each([
    ["127.0.0.1", true],
    ["10.1.2.3", true],
    ["172.31.255.255", true],
    ["172.32.0.1", false],
    ["192.168.1.1", true],
    ["169.254.169.254", true],
    ["100.64.0.1", true],
    ["0.0.0.0", true],
    ["8.8.8.8", false],
    ["::1", true],
    ["::ffff:127.0.0.1", true],
    ["::ffff:8.8.8.8", false],
    ["fd00::1", true],
    ["fe80::1", true],
    ["2606:4700::1111", false],
    ["not an address", true],
  ])("%s → %s", (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });
});

describe("checkWebhookUrl", () => {
  /** A resolver over a fixed table (a unit test: no DNS). */
  const resolve = async (host: string) => {
    const table: Record<string, string[]> = { "hooks.example": ["93.184.216.34"], "sneaky.example": ["93.184.216.34", "10.0.0.5"] };
    if (!table[host]) throw new Error("ENOTFOUND");
    return table[host];
  };
  it.each([
    ["an https URL to a public host", "https://hooks.example/x", false, "ok"],
    ["ftp", "ftp://hooks.example/x", false, "webhooks are sent over http or https, not ftp"],
    ["not a URL", "hooks", false, '"hooks" is not a URL'],
    ["credentials in the URL", "https://user:pw@hooks.example/", false, "the URL must not carry a user name or password"],
    ["loopback in production", "http://127.0.0.1:8080/", false, "127.0.0.1 is a private or loopback address (127.0.0.1); this server sends webhooks only to public hosts (BACKSTOP_ALLOW_PRIVATE_WEBHOOKS=1 allows others)"],
    ["the metadata endpoint", "http://169.254.169.254/latest", false, "169.254.169.254 is a private or loopback address (169.254.169.254); this server sends webhooks only to public hosts (BACKSTOP_ALLOW_PRIVATE_WEBHOOKS=1 allows others)"],
    ["IPv6 loopback", "http://[::1]:80/", false, "::1 is a private or loopback address (::1); this server sends webhooks only to public hosts (BACKSTOP_ALLOW_PRIVATE_WEBHOOKS=1 allows others)"],
    ["a name with one private address among public ones", "https://sneaky.example/", false, "sneaky.example is a private or loopback address (10.0.0.5); this server sends webhooks only to public hosts (BACKSTOP_ALLOW_PRIVATE_WEBHOOKS=1 allows others)"],
    ["a name that does not resolve", "https://nowhere.example/", false, "the host name nowhere.example does not resolve"],
    ["loopback when private receivers are allowed", "http://127.0.0.1:8080/", true, "ok"],
  ])("%s", async (_, url, allowPrivate, expected) => {
    const result = await checkWebhookUrl(url, { allowPrivate, resolve });
    expect(result.ok ? "ok" : result.error).toBe(expected);
  });

  it.each([
    [{ NODE_ENV: "production" }, false],
    [{ NODE_ENV: "production", BACKSTOP_ALLOW_PRIVATE_WEBHOOKS: "1" }, true],
    [{ NODE_ENV: "test" }, true],
  ])("private receivers allowed under %o: %s", (env, expected) => {
    expect(privateWebhooksAllowed(env)).toBe(expected);
  });
});
