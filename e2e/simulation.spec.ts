import { expect, test } from "@playwright/test";
import { createWalletClient, decodeEventLog, encodeFunctionData, http, type Address } from "viem";
import { foundry } from "viem/chains";
import { formatParameter, MARKET_PARAMETERS, previewChanges } from "../engine/index.ts";
import { backstopGovernorAbi, clearinghouseAbi, forwarderAbi } from "../lib/contracts/abis.ts";
import { forwarderBytecode } from "../lib/contracts/bytecode.ts";
import { e2eChain } from "./fixtures/chain.ts";

test("a proposal whose calls the decoder cannot read — a forwarder granted the governance role, then a margin change through it — is executed on a fork: the page shows what it changes, whom it liquidates, and the decoder's blind spot", async ({ page }) => {
  test.setTimeout(120_000);
  const chain = e2eChain();
  const transport = http(chain.rpcUrl);
  const dev = await createWalletClient({ chain: foundry, transport }).getAddresses();
  const as = (account: Address) => createWalletClient({ chain: foundry, account, transport });
  const clearinghouse = chain.deployment.contracts.clearinghouse;

  const deployed = await chain.client.waitForTransactionReceipt({ hash: await as(dev[0]!).deployContract({ abi: forwarderAbi, bytecode: forwarderBytecode.bytecode }) });
  const forwarder = deployed.contractAddress!;
  const before = await chain.snapshot();
  const sol = before.markets[2]!;
  // Ten points more of both margins than SOL-PERP has now (an earlier test may have raised them already).
  const params = { ...sol.params, imrWad: sol.params.imrWad + 10n ** 17n, mmrWad: sol.params.mmrWad + 10n ** 17n };
  const governance = await chain.client.readContract({ address: clearinghouse, abi: clearinghouseAbi, functionName: "GOVERNANCE_ROLE" });
  const setParams = encodeFunctionData({ abi: clearinghouseAbi, functionName: "setMarketParams", args: [BigInt(sol.id), { imr: params.imrWad, mmr: params.mmrWad, liquidationPenalty: params.liquidationPenaltyWad, keeperShare: params.keeperShareWad, oiCapUsd: params.oiCapUsd, concentrationCap: params.concentrationCapWad, oracleMaxAge: params.oracleMaxAgeSec }] });
  const targets = [clearinghouse, forwarder];
  const calldatas = [encodeFunctionData({ abi: clearinghouseAbi, functionName: "grantRole", args: [governance, forwarder] }), encodeFunctionData({ abi: forwarderAbi, functionName: "forward", args: [clearinghouse, setParams] })];
  const proposed = await chain.client.waitForTransactionReceipt({
    hash: await as(dev[3]!).writeContract({ address: chain.deployment.contracts.governor, abi: backstopGovernorAbi, functionName: "propose", args: [targets, [0n, 0n], calldatas, "# Routine maintenance\n\nHousekeeping."], chain: foundry }),
  });
  const id = proposed.logs.flatMap((l) => {
    try {
      const e = decodeEventLog({ abi: backstopGovernorAbi, data: l.data, topics: l.topics as never });
      return e.eventName === "ProposalCreated" ? [(e.args as { proposalId: bigint }).proposalId] : [];
    } catch {
      return [];
    }
  })[0]!;

  await page.goto(`/governance/${id}`);
  const section = page.locator("section", { has: page.getByRole("heading", { name: "Executed on a fork" }) });
  await expect(section).toContainText("executed as the timelock: it executes.", { timeout: 60_000 });
  const blind = section.getByRole("alert");
  await expect(blind).toContainText("The calls do something the calldata decoder did not read");
  const mmr = MARKET_PARAMETERS.find((p) => p.param === "mmrWad")!;
  await expect(blind).toContainText(`SOL-PERP Maintenance margin (MMR): the calls left it at ${formatParameter(mmr, params.mmrWad)}`);
  const row = section.getByRole("table", { name: "Governable values the fork changed, before and after" }).getByRole("row", { name: /SOL-PERP Maintenance margin \(MMR\)/ });
  await expect(row).toContainText(`${formatParameter(mmr, sol.params.mmrWad)}${formatParameter(mmr, params.mmrWad)}`);
  // Whom it liquidates: what the model preview of the same change says, from the engine, account for account.
  const expected = previewChanges(await chain.snapshot(), [{ kind: "setMarketParams", marketId: sol.id, params }]).newlyLiquidatable.length;
  expect(expected).toBeGreaterThan(0);
  await expect(section).toContainText(`Newly liquidatable on the fork after it: ${expected}`);
  await page.screenshot({ path: test.info().outputPath("fork-simulation.png"), fullPage: true });
  // The fork is thrown away: the chain itself is unchanged.
  expect((await chain.snapshot()).markets[2]!.params).toEqual(sol.params);
});
