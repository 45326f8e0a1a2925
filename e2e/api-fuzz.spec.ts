import { expect, test, type APIRequestContext, type APIResponse } from "@playwright/test";
import fc from "fast-check";
import { createWalletClient, decodeEventLog, http, type Address } from "viem";
import { foundry } from "viem/chains";
import { backstopGovernorAbi } from "../lib/contracts/abis.ts";
import { accountsWire } from "../lib/api/wire.ts";
import { encodeChange } from "../lib/codec/governanceCodec.ts";
import { e2eChain } from "./fixtures/chain.ts";

/**
 * Bad input against the real routes of the production server (a real chain behind it): every
 * generated query string, body and method gets a status below 500 and a JSON error sentence;
 * the good requests get 200. Inputs come from fast-check with fixed seeds, so a failure replays.
 */

const ROUTES_WITHOUT_PARAMS = ["/api/block", "/api/snapshot"] as const;
const sample = <T>(arbitrary: fc.Arbitrary<T>, numRuns: number, seed: number) => fc.sample(arbitrary, { numRuns, seed });

/** Text of every kind: unicode, control characters, lone surrogates' replacements, huge, numbers. */
const anyText = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.bigInt({ min: -(2n ** 300n), max: 2n ** 300n }).map(String),
  fc.double().map(String),
  fc.constantFrom("", "-1", "0x", "null", "undefined", "NaN", "%", "%ZZ", "%00", "é", "💥", "<script>", "' OR 1=1 --"),
  fc.string({ minLength: 2_000, maxLength: 6_000 }),
);
/** A query string: encoded key=value pairs, or raw text with stray % signs and separators. */
const anyQuery = fc.oneof(
  fc.array(fc.tuple(anyText, anyText), { minLength: 1, maxLength: 4 }).map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&")),
  fc.stringMatching(/^[a-z0-9%=&+;._~-]{1,60}$/),
);

/** The error sentence of a JSON answer: `{error: "…"}`, or a JSON-RPC error's message (also per call of a batch). */
async function errorMessages(response: APIResponse): Promise<string[]> {
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${response.status()} answer is not JSON: ${text.slice(0, 200)}`);
  }
  const one = (b: unknown): string | undefined => {
    const error = (b as { error?: unknown } | null)?.error;
    return typeof error === "string" ? error : typeof (error as { message?: unknown } | undefined)?.message === "string" ? (error as { message: string }).message : undefined;
  };
  const messages = (Array.isArray(body) ? body : [body]).map(one);
  return messages.filter((m): m is string => m !== undefined);
}

async function expectRefused(response: APIResponse, what: string) {
  // Node's HTTP parser refuses a request line past its header limit (16 KiB) before any route
  // runs: a 4xx of its own, without a JSON body. Everything shorter reaches the route.
  if (response.status() === 431) return;
  expect(response.status(), `${what} → ${response.status()}`).toBeGreaterThanOrEqual(400);
  expect(response.status(), `${what} → ${response.status()}`).toBeLessThan(500);
  const messages = await errorMessages(response);
  expect(messages.length, `${what}: an error message`).toBeGreaterThan(0);
  for (const m of messages) expect(m.length, `${what}: "${m}" is a sentence`).toBeGreaterThan(10);
}

async function get(request: APIRequestContext, url: string) {
  return request.get(url, { failOnStatusCode: false, maxRedirects: 0 });
}

test("routes without parameters answer 200 plain, and refuse any generated query string with 400 and a sentence", async ({ request }) => {
  for (const route of ROUTES_WITHOUT_PARAMS) {
    const good = await get(request, route);
    expect(good.status(), route).toBe(200);
    expect(await good.json()).toHaveProperty("blockNumber");
    for (const query of sample(anyQuery, 40, 101)) {
      const response = await get(request, `${route}?${query}`);
      // A query of separators only ("&&", "=") carries no parameter and is the plain request.
      if (new URLSearchParams(query).size === 0) expect(response.status(), `${route}?${query}`).toBe(200);
      else await expectRefused(response, `${route}?${query}`);
    }
  }
});

test("/api/accounts answers good pages, and refuses every generated bad parameter with 400 naming it", async ({ request }) => {
  const good = await get(request, "/api/accounts?show=all&sort=equityUsd&dir=desc&offset=5&limit=200&q=0x");
  expect(good.status()).toBe(200);
  const page = accountsWire.parse(await good.json());
  expect(page.offset).toBe(5);
  expect(page.rows.length).toBe(Math.min(200, page.total - 5));
  // What each parameter may be, written out here (not taken from the route's schema).
  const valid: Record<string, RegExp> = {
    show: /^(positions|liquidatable|near|all)$/,
    q: /^(?=.{0,42}$)(0x)?[0-9a-fA-F]*$/,
    sort: /^(health|equityUsd|notionalUsd|leverage|distanceToLiquidation|address)$/,
    dir: /^(asc|desc)$/,
    offset: /^\d{1,9}$/,
    limit: /^(0*[1-9]\d?|0*1\d\d|0*200)$/,
  };
  for (const [key, pattern] of Object.entries(valid)) {
    for (const bad of sample(anyText.filter((s) => !pattern.test(s) && !(key === "offset" && /^\d+$/.test(s) && Number(s) <= 1e8)), 12, 110)) {
      const response = await get(request, `/api/accounts?${key}=${encodeURIComponent(bad)}`);
      await expectRefused(response, `${key}=${bad.slice(0, 40)}`);
      expect(response.status()).toBe(400);
      expect((await errorMessages(response))[0]).toMatch(new RegExp(`^${key}: `));
    }
  }
  for (const query of sample(anyQuery, 40, 111)) {
    const response = await get(request, `/api/accounts?${query}`);
    if (response.status() === 200) accountsWire.parse(await response.json());
    else await expectRefused(response, `/api/accounts?${query}`);
  }
});

test("/api/impact refuses every generated bad proposal id or account with 400 naming the parameter, and answers a good query", async ({ request }) => {
  const { deployment, rpcUrl, client } = e2eChain();
  const transport = http(rpcUrl);
  const [, , , delegate] = await createWalletClient({ chain: foundry, transport }).getAddresses();
  const wallet = createWalletClient({ chain: foundry, account: delegate as Address, transport });
  // A real proposal to ask about: the grace period set to what it already is (harmless if executed).
  const grace = encodeChange({ kind: "setGracePeriod", seconds: (await e2eChain().snapshot()).global.gracePeriodSec }, deployment);
  const hash = await wallet.writeContract({ address: deployment.contracts.governor, abi: backstopGovernorAbi, functionName: "propose", args: [[grace.target], [grace.value], [grace.calldata], `# api-fuzz ${Date.now()}`], chain: foundry });
  const receipt = await client.waitForTransactionReceipt({ hash });
  const created = receipt.logs.map((l) => {
    try {
      return decodeEventLog({ abi: backstopGovernorAbi, data: l.data, topics: l.topics as never });
    } catch {
      return null;
    }
  }).find((e) => e?.eventName === "ProposalCreated");
  const proposalId = (created!.args as { proposalId: bigint }).proposalId.toString();
  const account = (await e2eChain().snapshot()).accounts[0]!.address;

  const good = await get(request, `/api/impact?proposal=${proposalId}&account=${account.toUpperCase().replace("0X", "0x")}`);
  expect(good.status()).toBe(200);
  expect(await good.json()).toMatchObject({ before: { liquidatable: expect.any(Boolean) }, after: { liquidatable: expect.any(Boolean) } });
  const missing = await get(request, `/api/impact?proposal=${BigInt(proposalId) + 1n}&account=${account}`);
  await expectRefused(missing, "a proposal that does not exist");
  expect(missing.status()).toBe(404);

  const notDigits = anyText.filter((s) => !/^\d{1,78}$/.test(s) || BigInt(s) >= 2n ** 256n);
  for (const bad of sample(notDigits, 40, 102)) {
    const response = await get(request, `/api/impact?proposal=${encodeURIComponent(bad)}&account=${account}`);
    await expectRefused(response, `proposal=${bad.slice(0, 40)}`);
    expect(response.status()).toBe(400);
    expect((await errorMessages(response))[0]).toMatch(/^proposal: /);
  }
  const notAddress = anyText.filter((s) => !/^0x[0-9a-fA-F]{40}$/.test(s));
  for (const bad of sample(notAddress, 40, 103)) {
    const response = await get(request, `/api/impact?proposal=${proposalId}&account=${encodeURIComponent(bad)}`);
    await expectRefused(response, `account=${bad.slice(0, 40)}`);
    expect((await errorMessages(response))[0]).toMatch(/^account: /);
  }
  for (const query of sample(anyQuery, 40, 104)) {
    await expectRefused(await get(request, `/api/impact?${query}`), `/api/impact?${query}`);
  }
});

test("/api/simulate refuses every generated bad proposal id with 400 naming it, and one that does not exist with 404", async ({ request }) => {
  const notDigits = anyText.filter((s) => !/^\d{1,78}$/.test(s) || BigInt(s) >= 2n ** 256n);
  for (const bad of sample(notDigits, 40, 108)) {
    const response = await get(request, `/api/simulate?proposal=${encodeURIComponent(bad)}`);
    await expectRefused(response, `proposal=${bad.slice(0, 40)}`);
    expect(response.status()).toBe(400);
    expect((await errorMessages(response))[0]).toMatch(/^proposal: /);
  }
  const missing = await get(request, "/api/simulate?proposal=1");
  await expectRefused(missing, "a proposal that does not exist");
  expect(missing.status()).toBe(404);
  for (const query of sample(anyQuery, 20, 109)) {
    await expectRefused(await get(request, `/api/simulate?${query}`), `/api/simulate?${query}`);
  }
});

test("/api/rpc refuses every generated bad body in JSON-RPC with a message, forwards good reads, and never answers 5xx", async ({ request }) => {
  const post = (data: string | Buffer, contentType = "application/json") => request.post("/api/rpc", { data, headers: { "content-type": contentType }, failOnStatusCode: false });
  const good = await post(JSON.stringify({ jsonrpc: "2.0", id: 7, method: "eth_chainId", params: [] }));
  expect(good.status()).toBe(200);
  expect(await good.json()).toEqual({ jsonrpc: "2.0", id: 7, result: "0x7a69" });

  const notRequests = fc.oneof(
    fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
    fc.string({ unit: "binary", maxLength: 200 }),
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
    fc.record({ jsonrpc: anyText, id: fc.jsonValue({ maxDepth: 1 }), method: fc.jsonValue({ maxDepth: 1 }), params: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
  );
  for (const body of sample(notRequests, 80, 105)) {
    const response = await post(body);
    const text = Buffer.isBuffer(body) ? body.toString("hex").slice(0, 60) : body.slice(0, 60);
    expect(response.status(), text).toBeLessThan(500);
    if (response.status() === 200) {
      // A well-formed request whose method is refused or answered by the node with an error.
      const answers = [await response.json()].flat() as { result?: unknown; error?: { message: string } }[];
      for (const a of answers) expect("result" in a || typeof a.error?.message === "string", text).toBe(true);
    } else await expectRefused(response, text);
  }

  // Well-formed requests with any method and any params: refused per call, or the node's own answer.
  const call = fc.record({
    jsonrpc: fc.constant("2.0"),
    id: fc.oneof(fc.integer(), fc.string({ maxLength: 10 }), fc.constant(null)),
    method: fc.oneof(fc.constantFrom("eth_blockNumber", "eth_call", "eth_getBalance", "eth_getLogs", "eth_sendTransaction", "anvil_setBalance", "evm_mine", "debug_traceCall"), fc.string({ minLength: 1, maxLength: 20 })),
    params: fc.oneof(fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }), fc.constant([])),
  });
  for (const calls of sample(fc.array(call, { minLength: 1, maxLength: 8 }), 40, 106)) {
    const response = await post(JSON.stringify(calls));
    expect(response.status(), JSON.stringify(calls).slice(0, 120)).toBe(200);
    const answers = (await response.json()) as { id: unknown; result?: unknown; error?: { message: string } }[];
    expect(answers.map((a) => a.id)).toEqual(calls.map((c) => c.id));
    calls.forEach((c, i) => {
      if (["eth_sendTransaction", "anvil_setBalance", "evm_mine", "debug_traceCall"].includes(c.method)) expect(answers[i]!.error?.message).toBe(`${c.method} is not a read method this endpoint forwards (writes go through your wallet)`);
      else expect("result" in answers[i]! || typeof answers[i]!.error?.message === "string").toBe(true);
    });
  }

  const huge = await post(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_call", params: ["x".repeat(2_000_000)] }));
  expect(huge.status()).toBe(413);
  expect((await errorMessages(huge))[0]).toMatch(/^the body is \d+ bytes; at most 1000000 are accepted$/);
});

test("/api/preview and /api/stress refuse every generated bad body with 400 and a sentence, and never answer 5xx", async ({ request }) => {
  const post = (route: string, data: string | Buffer) => request.post(route, { data, headers: { "content-type": "application/json" }, failOnStatusCode: false });
  const bigint = fc.oneof(fc.bigInt({ min: -(2n ** 260n), max: 2n ** 260n }).map((b) => ({ $bigint: b.toString() })), fc.jsonValue({ maxDepth: 1 }));
  const change = fc.record(
    { kind: fc.oneof(fc.constantFrom("setMarketParams", "setMarketFrozen", "setAdlMode", "moveReserves", "withdrawInsurance", "setGracePeriod"), anyText), marketId: fc.jsonValue({ maxDepth: 0 }), frozen: fc.jsonValue({ maxDepth: 0 }), mode: fc.jsonValue({ maxDepth: 0 }), seconds: bigint, amountUsd: bigint, from: anyText, to: anyText, params: fc.dictionary(fc.constantFrom("imrWad", "mmrWad", "oiCapUsd", "weightWad"), bigint) },
    { requiredKeys: ["kind"] },
  );
  const bodies = fc.oneof(
    fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
    fc.string({ unit: "binary", maxLength: 200 }),
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
    fc.record({ changes: fc.oneof(fc.array(change, { maxLength: 3 }), fc.jsonValue({ maxDepth: 1 })), window: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
    fc.record({ variants: fc.oneof(fc.array(fc.record({ label: anyText, changes: fc.array(change, { maxLength: 2 }) }), { maxLength: 5 }), fc.jsonValue({ maxDepth: 1 })), moves: fc.array(fc.double(), { maxLength: 4 }), steps: fc.oneof(fc.integer({ min: -5, max: 400 }), fc.double()), impact: fc.jsonValue({ maxDepth: 2 }), keeper: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
  );
  for (const [route, body] of sample(fc.tuple(fc.constantFrom("/api/preview", "/api/stress"), bodies), 80, 108)) {
    const response = await post(route, body);
    const text = `${route} ${Buffer.isBuffer(body) ? body.toString("hex").slice(0, 60) : body.slice(0, 120)}`;
    expect(response.status(), text).toBeLessThan(500);
    // A generated body that happens to be a good one is answered: a preview, or a stream that ends with its results.
    if (response.status() === 200) {
      const answer = route === "/api/preview" ? JSON.parse(await response.text()) : JSON.parse((await response.text()).trim().split("\n").at(-1)!);
      expect(route === "/api/preview" ? Array.isArray(answer.newlyLiquidatable) : answer.type === "result", text).toBe(true);
    } else await expectRefused(response, text);
  }
});

test("every route refuses the methods it does not take with 405, a sentence and an Allow header", async ({ request }) => {
  const routes = [...ROUTES_WITHOUT_PARAMS, "/api/accounts", "/api/impact", "/api/simulate", "/api/rpc", "/api/preview", "/api/stress"];
  const methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];
  for (const [route, method, body] of sample(fc.tuple(fc.constantFrom(...routes), fc.constantFrom(...methods), fc.oneof(fc.constant(undefined), anyText)), 40, 107)) {
    // /api/simulate takes a proposal's id (GET) or a draft's calls (POST).
    const takes = ["/api/rpc", "/api/preview", "/api/stress"].includes(route) ? ["POST"] : route === "/api/simulate" ? ["GET", "POST"] : ["GET"];
    if (takes.includes(method)) continue;
    const response = await request.fetch(route, { method, data: body, failOnStatusCode: false });
    await expectRefused(response, `${method} ${route}`);
    expect(response.status()).toBe(405);
    expect(response.headers().allow).toBe(takes.join(", "));
  }
});
