/**
 * Security of what the dashboard sends to the browser: its HTTP headers, a Content-Security-Policy
 * that the pages obey without a single violation, and no secret in anything a browser can fetch —
 * neither in the built bundle (`npm run test:e2e` builds with sentinel secrets in the environment,
 * see package.json) nor in the pages and API answers at run time, chain up or down.
 */

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { createTestClient, http } from "viem";
import { foundry } from "viem/chains";
import { controlRpcProxy } from "../lib/testing/rpcProxy.ts";
import { e2eChain } from "./fixtures/chain.ts";
import { E2E_RELAYER_KEY } from "./fixtures/relay.ts";

const proxyUrl = () => {
  const url = process.env.E2E_RPC_PROXY;
  if (!url) throw new Error("E2E_RPC_PROXY is unset: run through playwright.config.ts");
  return url;
};

/** The sentinel secrets `npm run test:e2e` puts in `next build`'s environment, read from package.json itself. */
function buildTimeSecrets(): Record<string, string> {
  const script = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> }).scripts["test:e2e"] ?? "";
  return Object.fromEntries([...script.matchAll(/\b(BACKSTOP_\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]));
}

/** Everything under .next a browser can be served: the static bundle and prerendered pages. */
function servedBuildFiles(): { path: string; text: string }[] {
  const files: { path: string; text: string }[] = [];
  const walk = (dir: string, keep: (name: string) => boolean) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path, keep);
      else if (keep(entry.name)) files.push({ path, text: readFileSync(path, "latin1") });
    }
  };
  walk(".next/static", () => true);
  walk(".next/server/app", (name) => /\.(html|rsc|body)$/.test(name));
  return files;
}

test("the built bundle carries no secret and no server-side configuration", () => {
  const secrets = buildTimeSecrets();
  expect(Object.keys(secrets).sort(), "test:e2e must build with sentinel secrets").toEqual(["BACKSTOP_DEPLOYER_KEY", "BACKSTOP_KEEPER_KEY", "BACKSTOP_RELAYER_KEY", "BACKSTOP_RPC_URL"]);
  const needles = new Map<string, string>(Object.entries(secrets));
  for (const key of ["BACKSTOP_RPC_URL", "BACKSTOP_DEPLOYER_KEY", "BACKSTOP_KEEPER_KEY", "BACKSTOP_RELAYER_KEY"]) {
    const value = process.env[key];
    if (value && value.length >= 12) needles.set(`${key} (this shell)`, value);
  }
  // The relay's sponsor key, as the e2e dashboard runs with it.
  needles.set("the e2e relayer key", E2E_RELAYER_KEY);
  // Private keys are also looked for without their 0x; the names of server-side variables too.
  for (const [name, value] of [...needles]) if (/^0x[0-9a-fA-F]{64}$/.test(value)) needles.set(`${name} without 0x`, value.slice(2).toLowerCase());
  for (const name of ["BACKSTOP_RPC_URL", "BACKSTOP_DEPLOYER_KEY", "BACKSTOP_KEEPER_KEY", "BACKSTOP_RELAYER_KEY", "BACKSTOP_DEPLOYMENT"]) needles.set(`the name ${name}`, name);
  needles.set("the e2e chain's URL", e2eChain().rpcUrl);
  needles.set("the e2e RPC proxy's URL", proxyUrl());

  const files = servedBuildFiles();
  // The search must see the client code: the browser's JSON-RPC path is in it.
  expect(files.filter((f) => f.path.startsWith(".next/static/") && f.path.endsWith(".js")).length).toBeGreaterThan(5);
  expect(files.some((f) => f.text.includes("/api/rpc"))).toBe(true);

  const leaks = files.flatMap((f) => [...needles].filter(([, value]) => f.text.toLowerCase().includes(value.toLowerCase())).map(([name]) => `${name} in ${f.path}`));
  expect(leaks).toEqual([]);
});

test("pages carry a nonce-based CSP, fresh per request, on every script, and the usual security headers", async ({ request }) => {
  const first = await request.get("/");
  const second = await request.get("/");
  const policy = first.headers()["content-security-policy"] ?? "";
  const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
  expect(nonce).toBeTruthy();
  expect(second.headers()["content-security-policy"]).not.toContain(nonce!);
  for (const directive of ["default-src 'self'", `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`, "connect-src 'self'", "object-src 'none'", "base-uri 'self'", "frame-ancestors 'none'", "form-action 'self'"]) {
    expect(policy).toContain(directive);
  }
  expect(policy).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
  const html = await first.text();
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);

  const expected = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
  };
  const script = /src="(\/_next\/static\/[^"]+\.js)"/.exec(html)?.[1];
  expect(script).toBeTruthy();
  for (const path of ["/", "/api/block", "/api/accounts", script!]) {
    const response = await request.get(path);
    expect(response.headers(), path).toMatchObject(expected);
    expect(response.headers()["permissions-policy"], path).toContain("camera=()");
    expect(response.headers()["x-powered-by"], path).toBeUndefined();
  }
  for (const path of ["/api/block", "/api/accounts"]) expect((await request.get(path)).headers()["content-security-policy"], path).toBe("default-src 'none'; frame-ancestors 'none'");
});

/** Records every CSP violation the page reports, from its first script on. */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  const fromConsole: string[] = [];
  page.on("console", (message) => {
    if (/Content[- ]Security[- ]Policy|Refused to (load|execute|apply|connect|create|frame)/i.test(message.text())) fromConsole.push(message.text());
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener("securitypolicyviolation", (e) => seen.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`));
  });
  return async () => [...fromConsole, ...(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations))];
}

test("the main pages run under the policy without a single violation, Web Workers included", async ({ page }) => {
  test.setTimeout(120_000);
  const violations = await watchViolations(page);
  const snapshot = await e2eChain().snapshot();
  const account = snapshot.accounts.find((a) => a.positions.length > 0)!.address;
  const pages = ["/", "/markets", `/markets/${snapshot.markets[0]!.id}`, "/accounts", `/accounts/${account}`, "/reserves", "/governance", "/governance/new", "/delegates", "/trade", "/glossary", "/notifications", "/stress"];
  for (const path of pages) {
    await page.goto(path);
    await expect(page.getByRole("main").getByRole("heading").first()).toBeVisible();
    await page.waitForLoadState("networkidle");
    expect(await violations(), path).toEqual([]);
  }
  // The stress lab's cascade runs in a Web Worker: it must start and finish under the policy.
  await page.getByRole("button", { name: "Run the cascade" }).click();
  await expect(page.getByRole("table", { name: "Cascade outcome per parameter set" })).toBeVisible({ timeout: 60_000 });
  // Client-side navigation loads further chunks through 'strict-dynamic'.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Accounts" }).click();
  await expect(page).toHaveURL(/\/accounts$/);
  await page.waitForLoadState("networkidle");
  expect(await violations()).toEqual([]);
});

test("unknown accounts, proposals, markets and pages answer 404 with the page's words, and the error pages obey the policy", async ({ page }) => {
  const violations = await watchViolations(page);
  const cases: [string, string][] = [
    ["/accounts/0x1234", "“0x1234” is not an address"],
    [`/accounts/0x${"ab".repeat(20)}`, "has never deposited or traded"],
    ["/governance/999999", "There is no proposal 999999 on the governor"],
    ["/governance/not-a-number", "a proposal id is a whole number"],
    ["/markets/99", "There is no market “99”"],
    ["/no-such-page", "Backstop has no page at this address"],
  ];
  for (const [path, words] of cases) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole("main").getByRole("alert")).toContainText(words);
    await page.waitForLoadState("networkidle");
    expect(await violations(), path).toEqual([]);
  }
  // A 404 page does not follow the chain by reloading itself: new blocks leave it as it is.
  await page.evaluate(() => Object.assign(window, { __sameDocument: true }));
  const before = await page.getByRole("banner").getByRole("status").innerText();
  const testClient = createTestClient({ chain: foundry, mode: "anvil", transport: http(e2eChain().rpcUrl) });
  let shown = before;
  for (let i = 0; i < 3; i++) {
    await testClient.mine({ blocks: 1 });
    await expect(page.getByRole("banner").getByRole("status")).not.toHaveText(shown); // the block before's refresh has run
    shown = await page.getByRole("banner").getByRole("status").innerText();
  }
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
});

test("the policy is enforced: markup injected into a page cannot run script", async ({ page }) => {
  const violations = await watchViolations(page);
  await page.goto("/glossary");
  await expect(page.getByRole("main").getByRole("heading").first()).toBeVisible();
  await page.evaluate(() => {
    const div = document.createElement("div");
    div.innerHTML = `<img src="/not-an-image.png" onerror="window.__injected = true">`;
    document.body.append(div);
  });
  await expect.poll(violations).toContainEqual(expect.stringMatching(/^script-src/));
  expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected)).toBeUndefined();
});

test("the RPC URL stays on the server: not in pages or API answers, with the chain up or down", async ({ page, request }) => {
  const hidden = [proxyUrl(), new URL(proxyUrl()).host, e2eChain().rpcUrl, new URL(e2eChain().rpcUrl).host];
  const paths = ["/", "/accounts", "/api/block", "/api/snapshot", "/api/accounts"];
  const check = async (state: string) => {
    for (const path of paths) {
      const body = await (await request.get(path)).text();
      for (const value of hidden) expect(body.includes(value), `${value} in ${path} (${state})`).toBe(false);
    }
  };
  await check("chain up");
  try {
    await controlRpcProxy(proxyUrl(), { down: true });
    await expect.poll(async () => ((await (await request.get("/api/block")).json()) as { stale: unknown }).stale, { timeout: 20_000 }).not.toBeNull();
    await page.goto("/");
    await expect(page.getByRole("main").getByRole("alert")).toContainText("Stale data.", { timeout: 20_000 });
    const shown = await page.content();
    for (const value of hidden) expect(shown.includes(value), `${value} on the stale page`).toBe(false);
    await check("chain down");
  } finally {
    await controlRpcProxy(proxyUrl(), { down: false });
  }
});
