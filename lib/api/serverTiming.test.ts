import { describe, expect, it } from "vitest";
import { formatServerTiming, parseServerTiming } from "./serverTiming.ts";

describe("the Server-Timing header (example values, not measured)", () => {
  it("writes each stage with its duration to a tenth of a ms, in order", () => {
    expect(formatServerTiming({ follow: 5, views: 69.54, total: 117.06 })).toBe("follow;dur=5.0, views;dur=69.5, total;dur=117.1");
  });

  it("reads back the stages in their order, and nothing from a missing or foreign header", () => {
    expect(Object.entries(parseServerTiming("follow;dur=5.0, views;dur=69.5, total;dur=117.1"))).toEqual([["follow", 5], ["views", 69.5], ["total", 117.1]]);
    expect(parseServerTiming(null)).toEqual({});
    expect(parseServerTiming("cache, miss;desc=x")).toEqual({});
  });
});
