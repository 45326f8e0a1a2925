import { describe, expect, it } from "vitest";
import { accountsQuery, accountsQueryKeys } from "../lib/api/accountsQuery.ts";
import { parseQuery } from "../lib/api/parseQuery.ts";
import { accountPagePaths } from "./accountPagePaths.ts";

const addresses = ["0xAbCdEf0123456789aBcDeF0123456789AbCdEf01", "0x1111111111222222222233333333334444444444", "0x9999999999888888888877777777776666666666"];

describe("accountPagePaths", () => {
  const paths = accountPagePaths(100_000, addresses);

  it("asks only questions the route answers (none would be refused with a 400)", () => {
    for (const path of paths) {
      const parsed = parseQuery(new URL(path, "http://127.0.0.1").searchParams, accountsQuery, accountsQueryKeys);
      expect(parsed.ok, `${path}: ${parsed.ok ? "" : parsed.error}`).toBe(true);
    }
  });

  it("never asks the same page twice", () => expect(new Set(paths).size).toBe(paths.length));

  it("goes half-way down a venue of 100,000 accounts", () => expect(paths).toContain("/api/accounts?sort=health&offset=50000"));

  it("searches from the start of a real address (lower case) and inside it", () => {
    expect(paths).toContain("/api/accounts?q=0xabcd");
    expect(paths).toContain("/api/accounts?show=all&q=456789");
  });
});
