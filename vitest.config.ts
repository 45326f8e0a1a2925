import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL("./", import.meta.url)) } },
  test: {
    include: ["engine/**/*.test.ts", "lib/**/*.test.ts", "contracts/test/**/*.test.ts", "keeper/**/*.test.ts", "scripts/**/*.test.ts", "cli/**/*.test.ts", "replays/**/*.test.ts", "bench/**/*.test.ts"],
    exclude: ["e2e/**", "node_modules/**"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
