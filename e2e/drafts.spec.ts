/**
 * Drafts, in Chromium against the real server, its embedded database and anvil: a wallet saves a
 * draft from a template and shares its link; a second browser context with another wallet reads
 * it but cannot edit it — the form is read-only and the server refuses that wallet's signed save
 * in words — and can keep a copy of its own; the author edits it, while the author's stale second
 * tab is refused; and a Safe Transaction Builder export imports back into the same actions,
 * while a malformed file is refused in words and changes nothing.
 */

import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { createWalletClient, http, type Address } from "viem";
import { foundry } from "viem/chains";
import { draftTypedData } from "../lib/drafts/draftTypedData.ts";
import { e2eChain } from "./fixtures/chain.ts";
import { connect, installWallet } from "./fixtures/wallet.ts";

async function openBuilder(page: Page, account: Address, path = "/governance/new") {
  await installWallet(page, { rpcUrl: e2eChain().rpcUrl, account, chainId: 31337 });
  await page.goto(path);
  await connect(page);
}

/** The Safe batch the author's builder exports now, as its file text parsed. */
async function exportBatch(page: Page) {
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export Safe batch" }).click();
  const file = await download;
  const path = await file.path();
  return { path, json: JSON.parse(await readFile(path, "utf8")) as { chainId: string; transactions: { to: string; value: string; data: string }[] } };
}

test("a draft is saved, shared by link, read by another wallet, edited only by its author, and its Safe batch round-trips", async ({ browser }) => {
  // Three browser pages, a dozen signatures and the embedded database's first open (12 s measured under load here).
  test.setTimeout(180_000);
  const chain = e2eChain();
  const transport = http(chain.rpcUrl);
  const [, , , , , authorAddress, readerAddress] = await createWalletClient({ chain: foundry, transport }).getAddresses();

  const authorContext = await browser.newContext();
  const author = await authorContext.newPage();
  // Before hydration a template chosen or a button pressed would never reach the builder: the draft's controls come disabled in the server's HTML.
  expect(await (await author.request.get("/governance/new")).text()).toMatch(/<fieldset[^>]*disabled=""[^>]*aria-label="Draft controls"/);
  await openBuilder(author, authorAddress!);
  await expect(author.getByRole("group", { name: "Draft controls" })).toBeEnabled();
  await author.getByLabel("Start from a template").selectOption({ label: "Freeze a market (reduce-only)" });
  await expect(author.getByLabel("Title")).toHaveValue(/^Freeze /);
  await author.getByLabel("Title").fill("Freeze the market while its oracle is checked");
  await author.getByRole("button", { name: "Save draft" }).click();
  // The first save opens the server's embedded database (created and migrated on first use): seconds on a busy machine.
  await expect(author.getByText("Saved as version 1.")).toBeVisible({ timeout: 60_000 });
  const link = await author.getByLabel("Link to this draft").inputValue();
  const id = new URL(link).searchParams.get("draft")!;
  await expect(author).toHaveURL(new RegExp(`draft=${id}$`));

  // The author's second tab opens the same version now, and will be stale after the edit below.
  const staleTab = await authorContext.newPage();
  await openBuilder(staleTab, authorAddress!, `/governance/new?draft=${id}`);
  await expect(staleTab.getByLabel("Title")).toHaveValue("Freeze the market while its oracle is checked");

  // Another wallet, in another browser context, reads the draft by its link…
  const readerContext = await browser.newContext();
  const reader = await readerContext.newPage();
  await openBuilder(reader, readerAddress!, `/governance/new?draft=${id}`);
  await expect(reader.getByLabel("Title")).toHaveValue("Freeze the market while its oracle is checked");
  await expect(reader.getByRole("note")).toHaveText(`Read-only: only its author, ${authorAddress!.toLowerCase()}, can edit this draft (you are ${readerAddress!.toLowerCase()}). Save a copy to make your own.`);
  await expect(reader.getByLabel("Title")).toBeDisabled();
  await expect(reader.getByRole("button", { name: "Save changes" })).toHaveCount(0);
  // …and a save it signs for the draft is refused by the server, in words.
  const content = JSON.stringify({ title: "Taken over", body: "", actions: [] });
  const signature = await createWalletClient({ account: readerAddress!, chain: foundry, transport }).signTypedData(draftTypedData({ id, content, version: 2, chainId: 31337 }));
  const refused = await reader.request.put(`/api/drafts/${id}`, { data: { author: readerAddress, chainId: 31337, version: 2, content, signature } });
  expect(refused.status()).toBe(403);
  expect(((await refused.json()) as { error: string }).error).toBe(`Only the draft's author, ${authorAddress!.toLowerCase()}, can change it; this save was signed by ${readerAddress!.toLowerCase()}. Save a copy as your own draft instead.`);
  // It can keep a copy of its own, which it then edits — from a wallet on the deployment's chain.
  const switchChain = (chainId: string) => reader.evaluate((id) => (window as unknown as { ethereum: { request(a: unknown): Promise<unknown> } }).ethereum.request({ method: "wallet_switchEthereumChain", params: [{ chainId: id }] }), chainId);
  await switchChain("0x1");
  await reader.getByRole("button", { name: "Save a copy as my draft" }).click();
  await expect(reader.getByRole("alert").filter({ hasText: "to save" })).toHaveText("Switch your wallet to chain 31337 to save: the signature names the chain.");
  await switchChain("0x7a69");
  await reader.getByRole("button", { name: "Save a copy as my draft" }).click();
  await expect(reader.getByText("Saved as version 1.")).toBeVisible({ timeout: 20_000 });
  await expect(reader.getByLabel("Title")).toBeEnabled();
  expect(new URL(reader.url()).searchParams.get("draft")).not.toBe(id);

  // The author edits the draft: version 2, which the reader's link now shows.
  await author.getByLabel("Title").fill("Freeze the market until the oracle is replaced");
  await author.getByRole("button", { name: "Save changes" }).click();
  await expect(author.getByText("Saved as version 2.")).toBeVisible({ timeout: 20_000 });
  await reader.goto(link);
  await expect(reader.getByLabel("Title")).toHaveValue("Freeze the market until the oracle is replaced");

  // The stale tab's save is refused instead of overwriting version 2.
  await staleTab.getByLabel("Title").fill("An edit made on version 1");
  await staleTab.getByRole("button", { name: "Save changes" }).click();
  await expect(staleTab.getByRole("alert").filter({ hasText: "Not saved" })).toHaveText("Not saved: The draft changed since this copy was opened: it is at version 2, and this save follows version 1. Reload the draft to see what changed, then save again; nothing was overwritten.", { timeout: 20_000 });
  // The author's own list has the draft, by its new title.
  await author.getByText("Your drafts (1)").click();
  await expect(author.getByRole("link", { name: "Freeze the market until the oracle is replaced" })).toHaveAttribute("href", `/governance/new?draft=${id}`);

  // Export → import: a second action, the file out, the builder replaced, the file back in.
  await author.getByRole("button", { name: "Add an action" }).click();
  await author.getByRole("group", { name: "Action 2" }).getByLabel("What").selectOption({ label: "Unfreeze" });
  const exported = await exportBatch(author);
  expect(exported.json.chainId).toBe("31337");
  expect(exported.json.transactions.map((t) => t.to.toLowerCase())).toEqual([chain.deployment.contracts.clearinghouse.toLowerCase(), chain.deployment.contracts.clearinghouse.toLowerCase()]);
  await author.getByLabel("Start from a template").selectOption({ label: "Raise a market's maintenance margin" });
  await expect(author.getByRole("group", { name: "Action 2" })).toHaveCount(0);
  // A template replaces the builder's content, and Undo puts it back.
  await author.getByRole("button", { name: "Undo: put back the actions and text it replaced" }).click();
  await expect(author.getByRole("group", { name: "Action 2" }).getByLabel("What")).toHaveValue("unfreeze");
  await expect(author.getByLabel("Title")).toHaveValue("Freeze the market until the oracle is replaced");
  await author.getByLabel("Start from a template").selectOption({ label: "Raise a market's maintenance margin" });
  await expect(author.getByRole("group", { name: "Action 2" })).toHaveCount(0);

  // A malformed file is refused in words, and the builder keeps what it had.
  await author.getByLabel("Import Safe batch").setInputFiles({ name: "broken.json", mimeType: "application/json", buffer: Buffer.from('{"version":"1.0","chainId":"31337","transactions":[{"to":"0xnot"}]}') });
  await expect(author.getByRole("alert").filter({ hasText: "broken.json" })).toHaveText(/^broken\.json was not imported: This is not a Safe Transaction Builder file Backstop can read: /);
  await expect(author.getByRole("group", { name: "Action 1" }).getByLabel("What")).toHaveValue("params");

  await author.getByLabel("Import Safe batch").setInputFiles(exported.path);
  await expect(author.getByText(/^Imported 2 actions from /)).toBeVisible();
  await expect(author.getByRole("group", { name: "Action 1" }).getByLabel("What")).toHaveValue("freeze");
  await expect(author.getByRole("group", { name: "Action 2" }).getByLabel("What")).toHaveValue("unfreeze");
  expect((await exportBatch(author)).json.transactions).toEqual(exported.json.transactions);

  await Promise.all([authorContext.close(), readerContext.close()]);
});
