/**
 * The import boundaries in eslint.config.js, tried on deliberately bad imports: each must be an
 * error (and a good import next to it must not), or the rule protects nothing.
 */

import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint({ cwd: process.cwd() });

async function importErrors(filePath: string, source: string) {
  const [result] = await eslint.lintText(`${source}\nexport const used = x;\n`, { filePath });
  return result!.messages.filter((m) => m.ruleId === "import/no-restricted-paths" || m.ruleId === "no-restricted-imports").map((m) => m.message);
}

describe("lint boundaries", () => {
  it.each([
    ["lib/ importing a command", "lib/actions/boundaryProbe.ts", 'import { seedMarket as x } from "../../scripts/seed/seed.ts";', /lib\/ is the library/],
    ["lib/ importing a component", "lib/actions/boundaryProbe.ts", 'import { ScrollRegion as x } from "../../components/ui/scroll-region.tsx";', /lib\/ is the library/],
    ["a command importing the test tooling", "scripts/boundaryProbe.ts", 'import { createFixture as x } from "../lib/testing/fixture.ts";', /test tooling/],
    ["a page importing the test tooling", "app/boundaryProbe.ts", 'import { fakeDeployment as x } from "@/lib/testing/fakeDeployment";', /test tooling/],
    ["a component importing a server module's type", "components/boundaryProbe.ts", 'import type { EncodedJson as x } from "@/lib/server/views";', /browser code does not import server modules/],
    ["the engine importing viem", "engine/boundaryProbe.ts", 'import { parseUnits as x } from "viem";', /engine\/ imports nothing but decimal\.js/],
    ["the governance actions (which the browser's builder imports) importing React", "lib/governance/actions/boundaryProbe.ts", 'import { useState as x } from "react";', /stay free of React and wagmi/],
  ])("refuses %s", async (_, filePath, source, message) => {
    const errors = await importErrors(filePath, source);
    expect(errors.some((e) => message.test(e)), errors.join(" | ") || "no import error at all").toBe(true);
  });

  it.each([
    ["lib/ importing the engine", "lib/actions/boundaryProbe.ts", 'import { WAD as x } from "../../engine/math/wad.ts";'],
    ["a component importing a wire type", "components/boundaryProbe.ts", 'import type { AccountRow as x } from "@/lib/api/wire";'],
    ["a test importing the test tooling", "lib/actions/boundaryProbe.test.ts", 'import { createFixture as x } from "../testing/fixture.ts";'],
  ])("allows %s", async (_, filePath, source) => {
    expect(await importErrors(filePath, source)).toEqual([]);
  });
});
