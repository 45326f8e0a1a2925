import { defineConfig } from "@playwright/test";
import { CHROMIUM_ARGS, resolveChromium } from "./lib/testing/browser.ts";

const port = Number(process.env.E2E_PORT ?? 3100);

/**
 * End-to-end tests in a real Chromium (lib/testing/browser.ts says which: Playwright cannot download its own here)
 * against a real anvil and a production build of the dashboard, both started by the global
 * setup (e2e/fixtures/global-setup.ts). `npm run test:e2e` builds first.
 */
export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: process.env.CI ? [["list"]] : [["list"]],
  outputDir: "test-results",
  globalSetup: "./e2e/fixtures/global-setup.ts",
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    screenshot: "on",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: await resolveChromium(),
      args: CHROMIUM_ARGS,
    },
  },
});
