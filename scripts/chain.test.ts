import { describe, expect, it } from "vitest";
import { parseChainArgs } from "./chain.ts";

describe("parseChainArgs", () => {
  it.each([
    ["no flags: the demo's defaults", [], {}],
    ["--accounts alone", ["--accounts", "1000000"], { accounts: 1_000_000 }],
    ["--inject on a small venue", ["--accounts", "300", "--inject"], { accounts: 300, inject: true }],
    ["--batch and --port", ["--accounts", "100000", "--batch", "250", "--port", "8600"], { accounts: 100_000, batchSize: 250, port: 8600 }],
    ["--history", ["--accounts", "1000000", "--history", "4"], { accounts: 1_000_000, historyBlocks: 4 }],
  ])("%s", (_name, argv, expected) => {
    expect(parseChainArgs(argv)).toEqual(expected);
  });

  it.each([
    ["a missing number", ["--accounts"]],
    ["a fraction", ["--accounts", "1.5"]],
    ["zero", ["--port", "0"]],
  ])("refuses %s", (_name, argv) => {
    expect(() => parseChainArgs(argv)).toThrow(/needs a positive whole number/);
  });
});
