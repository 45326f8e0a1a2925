import { describe, expect, it } from "vitest";
import { BackstopError } from "./errors.ts";
import { ParseError, parseUsd } from "./format.ts";
import { ArithmeticError, mulDivDown } from "./math/wad.ts";

describe("BackstopError", () => {
  it("keeps its short message as the message users read, with details and the cause it wraps", () => {
    const cause = new TypeError("fetch failed");
    const error = new BackstopError("the chain cannot be reached", { details: "ECONNREFUSED 127.0.0.1:8545", cause });
    expect(error.message).toBe("the chain cannot be reached");
    expect(error.shortMessage).toBe(error.message);
    expect(error.details).toBe("ECONNREFUSED 127.0.0.1:8545");
    expect(error.cause).toBe(cause);
  });

  it("has no details and no cause when none are given", () => {
    const error = new BackstopError("no");
    expect(error.details).toBeUndefined();
    expect("cause" in error).toBe(false);
  });

  it("is the base of the engine's own errors, which keep their names and specific messages", () => {
    const parse = (() => {
      try {
        parseUsd("12,5x");
      } catch (e) {
        return e;
      }
    })();
    expect(parse).toBeInstanceOf(ParseError);
    expect(parse).toBeInstanceOf(BackstopError);
    expect((parse as ParseError).name).toBe("ParseError");
    expect(() => mulDivDown(-1n, 1n, 1n)).toThrow(ArithmeticError);
    expect(() => mulDivDown(-1n, 1n, 1n)).toThrow(/operands must be non-negative/);
  });
});
