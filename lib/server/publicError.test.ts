import { describe, expect, it } from "vitest";
import { publicErrorMessage } from "./publicError.ts";

const env = { BACKSTOP_RPC_URL: "https://eth.example.org/v2/SECRETKEY" } as unknown as NodeJS.ProcessEnv;

describe("publicErrorMessage", () => {
  it.each([
    ["an error quoting the whole URL", new Error("fetch failed. URL: https://eth.example.org/v2/SECRETKEY"), "fetch failed. URL: the configured RPC endpoint"],
    ["an error quoting only the host", new Error("getaddrinfo ENOTFOUND eth.example.org"), "getaddrinfo ENOTFOUND the configured RPC endpoint"],
    ["a viem error, by its short message", Object.assign(new Error("HTTP request failed.\n\nURL: https://eth.example.org/v2/SECRETKEY\nRequest body: {}"), { shortMessage: "HTTP request failed." }), "HTTP request failed."],
    ["a message with nothing to hide", new Error("No deployment file at x"), "No deployment file at x"],
    ["a thrown string", "boom https://eth.example.org/v2/SECRETKEY", "boom the configured RPC endpoint"],
  ])("%s never contains the URL or its key", (_, error, expected) => {
    const message = publicErrorMessage(error, env);
    expect(message).toBe(expected);
    expect(message).not.toContain("SECRETKEY");
  });

  it("falls back to the default URL when none is configured", () => {
    expect(publicErrorMessage(new Error("connect ECONNREFUSED 127.0.0.1:8545"), {} as NodeJS.ProcessEnv)).toBe("connect ECONNREFUSED the configured RPC endpoint");
  });
});
