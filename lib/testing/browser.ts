/**
 * Which Chromium the browser tests (and the bench) drive. Playwright's own download cannot
 * reach its servers here, and a fresh machine has no system browser, so the order is:
 *
 * 1. `PLAYWRIGHT_CHROMIUM_PATH`, when set: the operator's choice, used as it is;
 * 2. the Chromium that ships inside the npm package `@sparticuz/chromium` (a devDependency,
 *    pinned by the lockfile: no download at install or at run time; it unpacks itself into
 *    the temp directory on first use, ~1.5 s, then reuses it);
 * 3. Debian's `/usr/bin/chromium` (`apt-get install chromium`), when the package cannot run.
 *
 * Fails with the three places it looked when none is usable.
 */

import { accessSync, constants } from "node:fs";

/** The flags every run uses: no GPU, no background traffic (this machine's network is closed). */
export const CHROMIUM_ARGS = ["--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];

const SYSTEM_CHROMIUM = "/usr/bin/chromium";

const executable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The path of the Chromium to launch (see the order above). */
export async function resolveChromium(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (env.PLAYWRIGHT_CHROMIUM_PATH) return env.PLAYWRIGHT_CHROMIUM_PATH;
  let packaged: unknown;
  try {
    const { default: chromium } = await import("@sparticuz/chromium");
    const path = await chromium.executablePath();
    if (executable(path)) return path;
    packaged = `it unpacked to ${path}, which is not executable`;
  } catch (error) {
    packaged = error instanceof Error ? error.message : error;
  }
  if (executable(SYSTEM_CHROMIUM)) return SYSTEM_CHROMIUM;
  throw new Error(
    `No Chromium for the browser tests: PLAYWRIGHT_CHROMIUM_PATH is not set; the npm package @sparticuz/chromium failed (${String(packaged)}); ${SYSTEM_CHROMIUM} does not exist. Run \`npm install\`, or install Debian's chromium, or set PLAYWRIGHT_CHROMIUM_PATH.`,
  );
}
