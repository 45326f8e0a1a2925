import { expect, test } from "@playwright/test";
import { createTestClient, createWalletClient, decodeEventLog, http, parseEther, type Address } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { encodeChange } from "../lib/codec/governanceCodec.ts";
import { backstopGovernorAbi, backstopTokenAbi } from "../lib/contracts/abis.ts";
import { e2eChain } from "./fixtures/chain.ts";
import { connect, installWallet } from "./fixtures/wallet.ts";

test("voting power explains itself: tokens that do not vote, the one-click fix, and power that came after an open proposal's snapshot", async ({ page }) => {
  test.setTimeout(90_000);
  const chain = e2eChain();
  const transport = http(chain.rpcUrl);
  const testClient = createTestClient({ chain: foundry, mode: "anvil", transport });
  const dev = await createWalletClient({ chain: foundry, transport }).getAddresses();
  const send = async (account: Address, request: Omit<Parameters<ReturnType<typeof createWalletClient>["writeContract"]>[0], "account" | "chain">) => {
    const hash = await createWalletClient({ chain: foundry, account, transport }).writeContract({ ...request, account, chain: foundry } as never);
    return chain.client.waitForTransactionReceipt({ hash });
  };
  const token = { address: chain.deployment.contracts.governanceToken, abi: backstopTokenAbi } as const;

  // A proposal open for voting (the grace period set to what it is: harmless), its snapshot taken.
  const grace = encodeChange({ kind: "setGracePeriod", seconds: (await chain.snapshot()).global.gracePeriodSec }, chain.deployment);
  const proposed = await send(dev[3]!, { address: chain.deployment.contracts.governor, abi: backstopGovernorAbi, functionName: "propose", args: [[grace.target], [grace.value], [grace.calldata], "# Voting power probe"] });
  const created = proposed.logs.flatMap((l) => {
    try {
      const e = decodeEventLog({ abi: backstopGovernorAbi, data: l.data, topics: l.topics as never });
      return e.eventName === "ProposalCreated" ? [e.args as { voteStart: bigint }] : [];
    } catch {
      return [];
    }
  })[0]!;
  await testClient.mine({ blocks: 2 });

  // A new holder: 500 tokens bought after that snapshot, never delegated.
  const holder = privateKeyToAccount("0x5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e").address;
  await testClient.impersonateAccount({ address: holder });
  await testClient.setBalance({ address: holder, value: parseEther("10") });
  await send(dev[4]!, { ...token, functionName: "transfer", args: [holder, parseEther("500")] });

  await installWallet(page, { rpcUrl: chain.rpcUrl, account: holder, chainId: 31337 });
  await page.goto("/governance");
  await connect(page);
  await expect(page.getByText("You hold 500 tokens, but they do not vote: tokens vote only once delegated")).toBeVisible({ timeout: 20_000 });
  const probe = page.getByRole("list", { name: "Your power on open proposals" }).getByRole("listitem").filter({ hasText: "Voting power probe" });
  // The open proposals come with the page, from the block the server had published when it was
  // rendered: reload until that block has the probe (as the governance spec does after a chain change).
  await expect(async () => {
    await page.reload();
    await expect(probe).toContainText(`You had no voting power at its snapshot, block #${created.voteStart}: you cannot vote on it.`, { timeout: 10_000 });
  }).toPass({ timeout: 60_000 });
  await page.screenshot({ path: test.info().outputPath("voting-power-undelegated.png"), fullPage: true });

  // The one-click fix.
  await page.getByRole("button", { name: "Delegate to myself", exact: true }).click();
  await expect(page.getByText(`Delegated to ${holder}.`)).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText("You vote with 500: your 500 tokens.")).toBeVisible({ timeout: 20_000 });
  await expect(probe).toContainText(`You had no voting power at its snapshot, block #${created.voteStart}: the 500 you have now came later and count from the next proposal on.`, { timeout: 30_000 });
  // What the page says is what the chain says.
  expect(await chain.client.readContract({ ...token, functionName: "getVotes", args: [holder] })).toBe(parseEther("500"));
  expect(await chain.client.readContract({ ...token, functionName: "getPastVotes", args: [holder, created.voteStart] })).toBe(0n);
  await testClient.stopImpersonatingAccount({ address: holder });
});
