import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseRpcBody } from "./parseRpcBody.ts";
import { RPC_MAX_BATCH, RPC_MAX_BODY_BYTES, RPC_READ_METHODS } from "./schemas.ts";

const id = fc.oneof(fc.integer(), fc.string({ maxLength: 20 }), fc.constant(null));
const call = fc.record(
  { jsonrpc: fc.constant("2.0"), id, method: fc.oneof(fc.constantFrom(...RPC_READ_METHODS), fc.string({ minLength: 1, maxLength: 30 })), params: fc.oneof(fc.array(fc.jsonValue(), { maxLength: 3 }), fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 })) },
  { requiredKeys: ["jsonrpc", "method"] },
);

describe("parseRpcBody", () => {
  it("test_fuzz_arbitrary_text_never_throws_and_is_refused_or_parsed", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary", maxLength: 200 }), fc.json(), fc.jsonValue().map((v) => JSON.stringify(v))), (text) => {
        const result = parseRpcBody(text);
        if (result.ok) expect(result.calls.length).toBeGreaterThan(0);
        else expect(result.error.length).toBeGreaterThan(10);
      }),
      { numRuns: 1000, seed: 3 },
    );
  });

  it("test_fuzz_every_well_formed_request_or_batch_parses_to_its_calls", () => {
    fc.assert(
      fc.property(fc.oneof(call, fc.array(call, { minLength: 1, maxLength: RPC_MAX_BATCH })), (body) => {
        const result = parseRpcBody(JSON.stringify(body));
        expect(result).toEqual({ ok: true, batch: Array.isArray(body), calls: JSON.parse(JSON.stringify(Array.isArray(body) ? body : [body])) });
      }),
      { numRuns: 300, seed: 4 },
    );
  });

  it("test_fuzz_one_broken_call_in_a_batch_is_named_by_its_index_and_field", () => {
    const broken = fc.oneof(
      fc.constant({ fix: (c: object) => ({ ...c, jsonrpc: "1.0" }), field: "jsonrpc" }),
      fc.constant({ fix: (c: object) => ({ ...c, method: undefined }), field: "method" }),
      fc.constant({ fix: (c: object) => ({ ...c, method: 42 }), field: "method" }),
      fc.constant({ fix: (c: object) => ({ ...c, params: "0x1" }), field: "params" }),
      fc.constant({ fix: (c: object) => ({ ...c, id: { nested: true } }), field: "id" }),
    );
    fc.assert(
      fc.property(fc.array(call, { minLength: 1, maxLength: 10 }), fc.nat(), broken, (calls, at, { fix, field }) => {
        const index = at % calls.length;
        const body = calls.map((c, i) => (i === index ? fix(c) : c));
        const result = parseRpcBody(JSON.stringify(body));
        expect(!result.ok && result.error).toMatch(new RegExp(`^batch\\[${index}\\]\\.${field} `));
      }),
      { numRuns: 300, seed: 5 },
    );
  });

  it.each([
    ["an empty body", "", "the body is empty: send a JSON-RPC request"],
    ["text that is not JSON", "eth_blockNumber", 'the body is not JSON (it starts "eth_blockNumber")'],
    ["JSON that is not a request", "42", "request must be a JSON-RPC request object"],
    ["an empty batch", "[]", "batch is empty: send at least one call"],
    ["a batch over the limit", JSON.stringify(Array.from({ length: RPC_MAX_BATCH + 1 }, (_, i) => ({ jsonrpc: "2.0", id: i, method: "eth_chainId" }))), `batch has more than ${RPC_MAX_BATCH} calls`],
    ["a request with an unknown field", JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", from: "me" }), "request has fields a JSON-RPC request does not: from"],
    ["a body over the size limit (counted in UTF-8 bytes)", JSON.stringify({ jsonrpc: "2.0", method: "eth_call", params: ["€".repeat(333_334)] }), `the body is 1000053 bytes; at most ${RPC_MAX_BODY_BYTES} are accepted`],
  ])("refuses %s in words", (_, text, message) => {
    expect(parseRpcBody(text)).toEqual({ ok: false, error: message });
  });
});
