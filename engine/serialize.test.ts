import { expect, it } from "vitest";
import { fromJson, toJson, toPlainJson } from "./serialize.ts";

it("round-trips bigints exactly, negative and beyond 2^53 included", () => {
  const value = { a: -(2n ** 255n), b: [1n, 0n], c: "text", d: 1.5, e: null, f: { nested: 10n ** 30n } };
  expect(fromJson(toJson(value))).toEqual(value);
});

it("leaves an object that merely looks tagged but is not a number string alone", () => {
  expect(fromJson(toJson({ $bigint: "12a" }))).toEqual({ $bigint: "12a" });
});

it("writes plain decimal strings for other tools", () => {
  expect(toPlainJson({ x: 5n })).toBe('{"x":"5"}');
});
