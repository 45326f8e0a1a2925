/**
 * The governance detectors on the demo chain as delegates use it: 50 honest proposals — random
 * governable changes, each described in plain words by the delegate who makes it, voted on in
 * time — raise nothing critical. (The attacks, which must stay critical, are the beanstalk-2022
 * and tornado-2023 replays.)
 */

import { afterAll, beforeAll, expect, it } from "vitest";
import { createPublicClient, createTestClient, createWalletClient, http, keccak256, stringToHex } from "viem";
import { foundry } from "viem/chains";
import { seededRandom, type ParamChange, type ProtocolSnapshot, type Random } from "../../engine/index.ts";
import { startLocalChain, type LocalChain } from "../../scripts/chain.ts";
import { readSnapshot } from "../actions/readSnapshot.ts";
import { readProposals, readVotes } from "../actions/readProposals.ts";
import { readProposalForensics } from "../actions/readProposalForensics.ts";
import { encodeChange } from "../codec/governanceCodec.ts";
import { backstopGovernorAbi } from "../contracts/abis.ts";
import { detectGovernanceRisks } from "./detectors.ts";

let chain: LocalChain;
beforeAll(async () => {
  chain = await startLocalChain({ port: 0, accounts: 300, deploymentPath: `${process.env.TMPDIR ?? "/tmp"}/backstop-honest-${process.pid}.json`, log: () => {} });
}, 120_000);
afterAll(async () => chain?.stop());

const pct = (wad: bigint) => `${Number(wad) / 1e16}%`;
const pick = <T>(rng: Random, items: readonly T[]) => items[Math.floor(rng.next() * items.length)]!;

/** A random change a risk steward might propose, with the title they would give it. */
function honestChange(rng: Random, s: ProtocolSnapshot): { change: ParamChange; title: string } {
  const market = pick(rng, s.markets);
  const asset = pick(rng, s.collaterals);
  switch (Math.floor(rng.next() * 5)) {
    case 0: {
      const scale = 1.1 + rng.next() * 0.6;
      const params = { ...market.params, imrWad: (market.params.imrWad * BigInt(Math.round(scale * 100))) / 100n, mmrWad: (market.params.mmrWad * BigInt(Math.round(scale * 100))) / 100n };
      return { change: { kind: "setMarketParams", marketId: market.id, params }, title: `Raise ${market.symbol} margins to ${pct(params.imrWad)} initial / ${pct(params.mmrWad)} maintenance` };
    }
    case 1: {
      const params = { ...market.params, oiCapUsd: (market.params.oiCapUsd * 12n) / 10n };
      return { change: { kind: "setMarketParams", marketId: market.id, params }, title: `Lift the ${market.symbol} open interest cap by 20%` };
    }
    case 2:
      return { change: { kind: "setMarketFrozen", marketId: market.id, frozen: true }, title: `Freeze ${market.symbol} (reduce-only) while its oracle is reviewed` };
    case 3: {
      const weightWad = (asset.params.weightWad * 95n) / 100n;
      return { change: { kind: "setCollateralParams", assetId: asset.id, params: { ...asset.params, weightWad } }, title: `Lower the ${asset.symbol} collateral weight to ${pct(weightWad)}` };
    }
    default:
      return { change: { kind: "setGracePeriod", seconds: BigInt(600 + Math.floor(rng.next() * 10) * 60) }, title: "Lengthen the liquidation grace period after an unpause" };
  }
}

it("50 honest random proposals by the seeded delegates, voted in time: no critical finding", async () => {
  const { deployment, rpcUrl } = chain;
  const transport = http(rpcUrl);
  const client = createPublicClient({ transport, pollingInterval: 50 }); // anvil mines each transaction at once
  const testClient = createTestClient({ chain: foundry, mode: "anvil", transport });
  const wallet = (account: `0x${string}`) => createWalletClient({ chain: foundry, account, transport });
  const snapshot = await readSnapshot(client, { deployment });
  const rng = seededRandom(12);
  const delegates = chain.seed.roles.delegates;
  const governor = { address: deployment.contracts.governor, abi: backstopGovernorAbi } as const;

  const ids: bigint[] = [];
  for (let i = 0; i < 50; i++) {
    const { change, title } = honestChange(rng, snapshot);
    const call = encodeChange(change, deployment);
    const description = `# ${title}\n\nProposed by a risk steward after the weekly review.`;
    const args = [[call.target], [call.value], [call.calldata], description] as const;
    await client.waitForTransactionReceipt({ hash: await wallet(delegates[i % delegates.length]!).writeContract({ ...governor, functionName: "propose", args }) });
    ids.push(await client.readContract({ ...governor, functionName: "hashProposal", args: [args[0], args[1], args[2], keccak256(stringToHex(description))] }));
  }
  await testClient.mine({ blocks: 2 });
  // Every delegate votes on a third of them, early in the period.
  for (const [i, id] of ids.entries()) {
    for (const delegate of delegates.filter((_, k) => (i + k) % 3 === 0)) {
      await client.waitForTransactionReceipt({ hash: await wallet(delegate).writeContract({ ...governor, functionName: "castVote", args: [id, rng.next() < 0.8 ? 1 : 0] }) });
    }
  }

  const at = await readSnapshot(client, { deployment });
  const proposals = await readProposals(client, { deployment, blockNumber: at.blockNumber });
  // One proposal at a time: fifty at once put hundreds of log scans on anvil together, and on a
  // loaded machine their timeouts and retries fed each other until the test ran out of time.
  const findings: string[] = [];
  for (const id of ids) {
    const proposal = proposals.find((p) => p.id === id)!;
    const votes = await readVotes(client, { deployment, proposalId: id, blockNumber: at.blockNumber });
    const alerts = detectGovernanceRisks(await readProposalForensics(client, { deployment, proposal, votes, snapshot: at }), deployment);
    findings.push(...alerts.filter((a) => a.severity === "critical").map((a) => `${proposal.description.split("\n")[0]}: ${a.title}`));
  }
  expect(findings).toEqual([]);
}, 180_000);
