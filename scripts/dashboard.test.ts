import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { hugePageTunables } from "./dashboard.ts";

describe("hugePageTunables", () => {
  it("asks glibc's malloc for huge pages, keeping the tunables already set", () => {
    expect(hugePageTunables(undefined)).toBe("glibc.malloc.hugetlb=1");
    expect(hugePageTunables("")).toBe("glibc.malloc.hugetlb=1");
    expect(hugePageTunables("glibc.malloc.arena_max=2")).toBe("glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1");
  });

  it("leaves a huge-page setting the caller chose", () => {
    expect(hugePageTunables("glibc.malloc.hugetlb=0:glibc.malloc.arena_max=2")).toBe("glibc.malloc.hugetlb=0:glibc.malloc.arena_max=2");
  });

  it("is a value node starts with", () => {
    const run = spawnSync(process.execPath, ["-e", "process.stdout.write(process.env.GLIBC_TUNABLES)"], { env: { ...process.env, GLIBC_TUNABLES: hugePageTunables(process.env.GLIBC_TUNABLES) }, encoding: "utf8" });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("glibc.malloc.hugetlb=1");
  });
});
