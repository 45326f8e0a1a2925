import { expect, test, type Page } from "@playwright/test";
import fc from "fast-check";
import { createWalletClient, http, type Address } from "viem";
import { foundry } from "viem/chains";
import { e2eChain } from "./fixtures/chain.ts";
import { connect, installWallet, sentTransactions } from "./fixtures/wallet.ts";

/**
 * fast-check-generated invalid values typed into the real forms in Chromium: each is refused
 * with a message naming its field, the wallet is never asked to send a transaction (counted at
 * the injected wallet) and the account's nonce on the chain does not move.
 */

const sample = <T>(arbitrary: fc.Arbitrary<T>, numRuns: number, seed: number) => fc.sample(arbitrary, { numRuns, seed });
/** Invalid as a number in any of the forms: junk, negative, beyond uint256, scientific, unicode digits. */
const notANumber = fc.oneof(
  fc.stringMatching(/^[a-z!?#@ ]{1,8}$/).filter((s) => s.trim() !== ""),
  fc.integer({ min: 1, max: 10 ** 6 }).map((n) => `-${n}`),
  fc.bigInt({ min: 2n ** 256n, max: 2n ** 280n }).map(String),
  fc.constantFrom("1e3", "0x10", "1.2.3", "NaN", "١٢", "💥"),
);
const notAnAddress = fc.oneof(
  fc.stringMatching(/^0x[0-9a-f]{1,39}$/),
  fc.stringMatching(/^0x[0-9a-f]{39}[g-z]$/),
  fc.stringMatching(/^[a-z]{3,12}$/),
  fc.constantFrom("0x", "vitalik.eth", "0X" + "1".repeat(40).slice(1)),
);

async function accounts() {
  const chain = e2eChain();
  const dev = await createWalletClient({ chain: foundry, transport: http(chain.rpcUrl) }).getAddresses();
  const nonce = (a: Address) => chain.client.getTransactionCount({ address: a });
  return { chain, dev, nonce };
}

async function open(page: Page, path: string, account: Address) {
  await installWallet(page, { rpcUrl: e2eChain().rpcUrl, account, chainId: 31337 });
  await page.goto(path);
  await connect(page);
}

test("proposal builder: generated invalid values in each parameter field are refused naming the field, and Publish sends nothing", async ({ page }) => {
  const { dev, nonce } = await accounts();
  const steward = dev[1]!;
  const nonceBefore = await nonce(steward);
  await open(page, "/governance/new", steward);
  await page.getByLabel("Title").fill("Fuzzed values");
  const fields = ["Initial margin (IMR, %)", "Maintenance margin (MMR, %)", "Liquidation penalty (%)", "Keeper share (%)", "Open-interest cap (USD)", "Concentration cap (%)", "Oracle max age (s)"];
  for (const [label, value] of sample(fc.tuple(fc.constantFrom(...fields), notANumber), 8, 201)) {
    const input = page.getByLabel(`ETH-PERP ${label}`);
    const previous = await input.inputValue();
    await input.fill(value);
    await expect(input).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByRole("main").getByRole("alert").first()).toContainText(`ETH-PERP ${label.replace(/ \(.*\)$/, "")}: `);
    await page.getByRole("button", { name: "Publish the proposal" }).click();
    await expect(page.getByText("Not published: Fix the values marked above first; nothing was sent.")).toBeVisible();
    await input.fill(previous);
    await expect(input).toHaveAttribute("aria-invalid", "false");
  }
  expect(await sentTransactions(page)).toBe(0);
  expect(await nonce(steward)).toBe(nonceBefore);
});

test("trade form: generated invalid sizes and counterparties are refused naming the field, and nothing is sent", async ({ page }) => {
  const { dev, nonce } = await accounts();
  const [trader, counterparty] = [dev[7]!, dev[8]!];
  const nonceBefore = await nonce(trader);
  await open(page, "/trade", trader);
  const trade = page.getByRole("form", { name: "Trade" });
  for (const size of sample(fc.oneof(notANumber, fc.constantFrom("0", "0.0", "1.0000000000000000001")), 6, 202)) {
    await trade.getByLabel("Size (base units)").fill(size);
    await trade.getByLabel("Counterparty (has approved you)").fill(counterparty);
    await trade.getByRole("button", { name: "Send the trade" }).click();
    await expect(trade.getByRole("status")).toContainText("Not traded: Size: ");
  }
  for (const other of [...sample(notAnAddress, 5, 203), trader]) {
    await trade.getByLabel("Size (base units)").fill("1");
    await trade.getByLabel("Counterparty (has approved you)").fill(other);
    await trade.getByRole("button", { name: "Send the trade" }).click();
    await expect(trade.getByRole("status")).toContainText("Not traded: Counterparty: ");
  }
  expect(await sentTransactions(page)).toBe(0);
  expect(await nonce(trader)).toBe(nonceBefore);
});

test("delegate form: generated non-addresses are refused naming the field, and nothing is sent", async ({ page }) => {
  const { dev, nonce } = await accounts();
  const holder = dev[2]!;
  const nonceBefore = await nonce(holder);
  await open(page, "/delegates", holder);
  for (const value of sample(notAnAddress, 6, 204)) {
    await page.getByLabel("Or to this address").fill(value);
    await page.getByRole("button", { name: "Delegate", exact: true }).click();
    await expect(page.getByText(`Not delegated: Delegate address: “${value}” is not an address`)).toBeVisible();
  }
  expect(await sentTransactions(page)).toBe(0);
  expect(await nonce(holder)).toBe(nonceBefore);
  // Control: a valid delegation (to itself, as it already is) is sent, and counted.
  await page.getByRole("button", { name: "Delegate to myself", exact: true }).click();
  await expect(page.getByText(`Delegated to ${holder}.`)).toBeVisible({ timeout: 20_000 });
  expect(await sentTransactions(page)).toBe(1);
  expect(await nonce(holder)).toBe(nonceBefore + 1);
});
