import { expect, test } from "@playwright/test";
import { createTestClient, createWalletClient, http } from "viem";
import { foundry } from "viem/chains";
import { e2eChain } from "./fixtures/chain.ts";
import { installWallet } from "./fixtures/wallet.ts";

/**
 * The header's wallet control on a chain that never stops: a block every 250 ms, each one
 * refreshing the page's server components. The control must stay the same element (not torn
 * down and rebuilt by each refresh) and answer a click at any moment, as a person would use it.
 */
test("the header's wallet control stays put and answers clicks while blocks arrive every 250 ms", async ({ page }) => {
  const chain = e2eChain();
  const testClient = createTestClient({ chain: foundry, mode: "anvil", transport: http(chain.rpcUrl) });
  const [account] = await createWalletClient({ chain: foundry, transport: http(chain.rpcUrl) }).getAddresses();
  let mining = true;
  const miner = (async () => {
    while (mining) {
      await testClient.mine({ blocks: 1 });
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  try {
    await installWallet(page, { rpcUrl: chain.rpcUrl, account: account!, chainId: 31337 });
    await page.goto("/");
    const live = page.getByRole("status").filter({ hasText: /Live · block #/ });
    const blockShown = async () => Number((await live.innerText()).match(/#(\d+)/)![1]);
    await expect(live).toBeVisible();

    // The wallet trusts the site (it answers eth_accounts), so it reconnects by itself: the
    // control waits for that instead of offering a Connect button that would turn into Disconnect.
    const connect = page.getByRole("button", { name: "Connect wallet" });
    const disconnect = page.getByRole("button", { name: "Disconnect" });
    await expect(disconnect).toBeVisible();
    await expect(connect).toHaveCount(0);
    await disconnect.click();
    const control = await connect.elementHandle();
    const first = await blockShown();
    await expect.poll(blockShown, { timeout: 20_000 }).toBeGreaterThanOrEqual(first + 4); // four refreshes later…
    expect(await control!.evaluate((el) => el.isConnected)).toBe(true); // …the very same button

    for (let round = 0; round < 3; round++) {
      await connect.click();
      await page.getByRole("button", { name: "Test Wallet" }).click();
      await expect(disconnect).toBeVisible();
      await expect(page.getByRole("banner")).toContainText(`${account!.slice(0, 6)}…${account!.slice(-4)}`);
      const at = await blockShown();
      await expect.poll(blockShown, { timeout: 20_000 }).toBeGreaterThanOrEqual(at + 2);
      await disconnect.click();
      await expect(connect).toBeVisible();
    }
  } finally {
    mining = false;
    await miner;
  }
});

test("pages that act through the wallet hydrate cleanly while the header reconnects a trusted wallet (no page thrown away, no click lost)", async ({ page }) => {
  const chain = e2eChain();
  const [account] = await createWalletClient({ chain: foundry, transport: http(chain.rpcUrl) }).getAddresses();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(`${page.url()}: ${error.message.slice(0, 200)}`));
  await installWallet(page, { rpcUrl: chain.rpcUrl, account: account!, chainId: 31337 });
  for (const path of ["/trade", "/governance/new", "/delegates", "/trade"]) {
    await page.goto(path);
    await expect(page.getByRole("button", { name: "Disconnect" })).toBeVisible();
    await page.waitForLoadState("networkidle");
  }
  await expect(page.getByRole("form", { name: "Trade" })).toBeVisible();
  expect(errors).toEqual([]);
});
