/**
 * What an incident replay drives: the protocol freshly deployed on a real anvil (auto-impersonate,
 * so any address can act), with the levers an incident pulls — prices, trades, gas, blocks, the
 * real keeper — and `monitor()`, which is what Backstop shows: the same readMonitor the overview
 * renders (engine health, alerts, governance detectors).
 *
 * Set-up steps that, in the incident, governance had taken long before (listing an illiquid
 * market or collateral) go through the impersonated timelock; everything the incident itself is
 * about goes through the contracts as any user would.
 */

import { createWalletClient, http, keccak256, parseEther, parseEventLogs, parseUnits, stringToHex, toHex, type Address, type Hex, type PublicClient, type TransactionReceipt } from "viem";
import { foundry } from "viem/chains";
import { computeAccountRisk, type Alert, type ProtocolSnapshot } from "../engine/index.ts";
import { readProposalForensics } from "../lib/actions/readProposalForensics.ts";
import { PROPOSAL_STATES, readProposals, readVotes, type ProposalStateName } from "../lib/actions/readProposals.ts";
import { detectGovernanceRisks } from "../lib/governance/detectors.ts";
import { readMonitor, type Monitor } from "../lib/actions/readMonitor.ts";
import { createKeeperLagCache } from "../lib/actions/readKeeperLag.ts";
import { readSnapshot } from "../lib/actions/readSnapshot.ts";
import { backstopGovernorAbi, backstopTokenAbi, clearinghouseAbi, priceOracleAbi, testTokenAbi } from "../lib/contracts/abis.ts";
import { testTokenBytecode } from "../lib/contracts/bytecode.ts";
import { createFixture, type Fixture } from "../lib/testing/fixture.ts";
import { feedId } from "../lib/contracts/deployProtocol.ts";
import { startKeeper } from "../keeper/keeper.ts";

export const usd = (x: number) => BigInt(Math.round(x * 1e6)) * 10n ** 12n;
export const base = (x: number) => parseEther(String(x));

export interface MarketListing {
  symbol: string;
  feed: string;
  price: number;
  imr: number;
  mmr: number;
  penalty: number;
  keeperShare: number;
  oiCapUsd: number;
  concentrationCap: number;
}

export interface ReplayHarness {
  fixture: Fixture;
  rpcUrl: string;
  /** A fresh address (deterministic by label) with ETH for gas. */
  actor(label: string): Promise<Address>;
  /** Mints USDC to `account` and deposits it. */
  deposit(account: Address, usdAmount: number): Promise<void>;
  trade(taker: Address, maker: Address, marketId: number, size: number): Promise<void>;
  /** Posts prices by feed name: numbers in dollars, bigints in WAD. */
  setPrices(prices: Record<string, number | bigint>): Promise<void>;
  /** Governance listed it earlier: via the impersonated timelock. Returns the market id. */
  listMarket(m: MarketListing): Promise<number>;
  /** A new ERC-20 listed as collateral by governance earlier. Returns its asset id and token. */
  listCollateral(c: { symbol: string; feed: string; price: number; weight: number; depositCap: number }): Promise<{ assetId: number; token: Address }>;
  depositToken(account: Address, token: Address, assetId: number, amount: number): Promise<void>;
  fundReserves(insuranceUsd: number, defaultFundUsd: number): Promise<void>;
  /** The next blocks' base fee, in gwei (what eth_gasPrice reports follows it). */
  setBaseFee(gwei: number): Promise<void>;
  mine(blocks: number): Promise<void>;
  snapshot(): Promise<ProtocolSnapshot>;
  /** Insurance and default fund on chain (USD WAD). */
  reserves(): Promise<{ insuranceUsd: bigint; defaultFundUsd: bigint }>;
  /** What Backstop shows now: engine health and alerts, from a fresh snapshot. */
  monitor(): Promise<Monitor & { snapshot: ProtocolSnapshot }>;
  /** The real keeper (keeper/), driven one tick at a time. */
  keeper: { address: Address; tick(): Promise<void>; log: Record<string, unknown>[] };
  /** Governance: tokens from the deployer's supply, delegated to the receiver (by default). */
  giveVotes(to: Address, tokens: number, options?: { delegate?: boolean }): Promise<void>;
  propose(proposer: Address, calls: { target: Address; value: bigint; calldata: Hex }[], description: string): Promise<bigint>;
  vote(voter: Address, proposalId: bigint, support: "Against" | "For" | "Abstain"): Promise<void>;
  queue(proposalId: bigint): Promise<void>;
  execute(proposalId: bigint): Promise<TransactionReceipt>;
  proposalState(proposalId: bigint): Promise<ProposalStateName>;
  /** What the proposal page's attack detectors show for it now. */
  proposalFlags(proposalId: bigint): Promise<Alert[]>;
  /** Equity as the contract computes it (accountRisk). */
  equityOnChain(account: Address): Promise<bigint>;
  stop(): Promise<void>;
}

export interface ReplayHarnessOptions {
  /** 0: a free port. */
  port?: number;
  /** The keeper is the protocol's own backstop keeper (liquidates bankrupt accounts too). */
  backstopKeeper?: boolean;
}

export async function createReplayHarness({ port = 0, backstopKeeper = false }: ReplayHarnessOptions = {}): Promise<ReplayHarness> {
  const fixture = await createFixture({ port, anvilArgs: ["--auto-impersonate"] });
  const { deployment, deployer, publicClient, testClient, write } = fixture;
  const ch = deployment.contracts.clearinghouse;
  const rpcUrl = fixture.anvil.rpcUrl;
  /** The fixture's client, typed as the readers take it (it is one, on the foundry chain). */
  const client = publicClient as unknown as PublicClient;
  const funded = new Set<Address>();

  async function actor(label: string): Promise<Address> {
    const address = `0x${keccak256(stringToHex(`backstop-replay:${label}`)).slice(26)}` as Address;
    if (!funded.has(address)) {
      await testClient.setBalance({ address, value: parseEther("100000") });
      funded.add(address);
    }
    return address;
  }

  const keeperAddress = await actor("keeper");
  const keeperLog: Record<string, unknown>[] = [];
  const keeper = startKeeper({ rpcUrl, deployment, account: keeperAddress, poll: false, capacityPerBlock: 50, liquidateBankrupt: backstopKeeper, log: (entry) => keeperLog.push(entry) });
  const keeperLagCache = createKeeperLagCache();
  const proposals = new Map<bigint, { calls: { target: Address; value: bigint; calldata: Hex }[]; description: string }>();

  async function mintTo(token: Address, account: Address, amount: bigint) {
    await write(deployer, token, testTokenAbi, "mint", [account, amount]);
    await write(account, token, testTokenAbi, "approve", [ch, amount]);
  }

  const harness: ReplayHarness = {
    fixture,
    rpcUrl,
    actor,
    async deposit(account, usdAmount) {
      const amount = parseUnits(String(usdAmount), 6);
      await mintTo(deployment.contracts.usdc, account, amount);
      await write(account, ch, clearinghouseAbi, "deposit", [0n, amount]);
    },
    async trade(taker, maker, marketId, size) {
      await write(deployer, ch, clearinghouseAbi, "trade", [taker, maker, BigInt(marketId), base(size)]);
    },
    async setPrices(prices) {
      const feeds = Object.keys(prices).map(feedId);
      await write(deployer, deployment.contracts.oracle, priceOracleAbi, "setPrices", [feeds, Object.values(prices).map((p) => (typeof p === "bigint" ? p : usd(p)))]);
    },
    async listMarket(m) {
      await harness.setPrices({ [m.feed]: m.price });
      const pct = (x: number) => usd(x / 100);
      await fixture.govern("listMarket", [m.symbol, feedId(m.feed), { imr: pct(m.imr), mmr: pct(m.mmr), liquidationPenalty: pct(m.penalty), keeperShare: pct(m.keeperShare), oiCapUsd: usd(m.oiCapUsd), concentrationCap: pct(m.concentrationCap), oracleMaxAge: 3600n }]);
      return Number(await publicClient.readContract({ address: ch, abi: clearinghouseAbi, functionName: "marketCount" })) - 1;
    },
    async listCollateral(c) {
      const wallet = createWalletClient({ account: deployer, chain: foundry, transport: http(rpcUrl) });
      const hash = await wallet.deployContract({ abi: testTokenAbi, bytecode: testTokenBytecode.bytecode, args: [`${c.symbol} (replay)`, c.symbol, 18, deployer] });
      const token = (await publicClient.waitForTransactionReceipt({ hash })).contractAddress!;
      await harness.setPrices({ [c.feed]: c.price });
      await fixture.govern("listCollateral", [token, feedId(c.feed), { weight: usd(c.weight / 100), depositCap: parseEther(String(c.depositCap)), oracleMaxAge: 3600n }]);
      const assetId = Number(await publicClient.readContract({ address: ch, abi: clearinghouseAbi, functionName: "collateralCount" })) - 1;
      return { assetId, token };
    },
    async depositToken(account, token, assetId, amount) {
      const units = parseEther(String(amount));
      await mintTo(token, account, units);
      await write(account, ch, clearinghouseAbi, "deposit", [BigInt(assetId), units]);
    },
    async fundReserves(insuranceUsd, defaultFundUsd) {
      const treasury = await actor("treasury");
      if (insuranceUsd > 0) {
        const amount = parseUnits(String(insuranceUsd), 6);
        await mintTo(deployment.contracts.usdc, treasury, amount);
        await write(treasury, ch, clearinghouseAbi, "fundInsurance", [amount]);
      }
      if (defaultFundUsd > 0) {
        const amount = parseUnits(String(defaultFundUsd), 6);
        await mintTo(deployment.contracts.usdc, treasury, amount);
        await write(treasury, ch, clearinghouseAbi, "stakeDefaultFund", [amount]);
      }
    },
    async setBaseFee(gwei) {
      await publicClient.request({ method: "anvil_setNextBlockBaseFeePerGas", params: [toHex(BigInt(gwei) * 10n ** 9n)] } as never);
    },
    async mine(blocks) {
      await testClient.mine({ blocks });
    },
    snapshot: () => readSnapshot(client, { deployment }),
    async reserves() {
      const { reserves } = await harness.snapshot();
      return { insuranceUsd: reserves.insuranceFundUsd, defaultFundUsd: reserves.defaultFundUsd };
    },
    async monitor() {
      const snapshot = await harness.snapshot();
      return { snapshot, ...(await readMonitor(client, { deployment, snapshot, keeperLagCache })) };
    },
    keeper: { address: keeperAddress, tick: keeper.tick, log: keeperLog },
    async giveVotes(to, tokens, { delegate = true } = {}) {
      await write(deployer, deployment.contracts.governanceToken, backstopTokenAbi, "transfer", [to, parseEther(String(tokens))]);
      if (delegate) await write(to, deployment.contracts.governanceToken, backstopTokenAbi, "delegate", [to]);
    },
    async propose(proposer, calls, description) {
      const receipt = await write(proposer, deployment.contracts.governor, backstopGovernorAbi, "propose", [calls.map((c) => c.target), calls.map((c) => c.value), calls.map((c) => c.calldata), description]);
      const created = parseEventLogs({ abi: backstopGovernorAbi, logs: receipt.logs, eventName: "ProposalCreated" })[0]!;
      proposals.set(created.args.proposalId, { calls, description });
      return created.args.proposalId;
    },
    async vote(voter, proposalId, support) {
      await write(voter, deployment.contracts.governor, backstopGovernorAbi, "castVote", [proposalId, { Against: 0, For: 1, Abstain: 2 }[support]]);
    },
    async queue(proposalId) {
      const p = proposals.get(proposalId)!;
      await write(deployer, deployment.contracts.governor, backstopGovernorAbi, "queue", [p.calls.map((c) => c.target), p.calls.map((c) => c.value), p.calls.map((c) => c.calldata), keccak256(stringToHex(p.description))]);
    },
    async execute(proposalId) {
      const p = proposals.get(proposalId)!;
      return write(deployer, deployment.contracts.governor, backstopGovernorAbi, "execute", [p.calls.map((c) => c.target), p.calls.map((c) => c.value), p.calls.map((c) => c.calldata), keccak256(stringToHex(p.description))]);
    },
    async proposalState(proposalId) {
      return PROPOSAL_STATES[await publicClient.readContract({ address: deployment.contracts.governor, abi: backstopGovernorAbi, functionName: "state", args: [proposalId] })]!;
    },
    async proposalFlags(proposalId) {
      const snapshot = await harness.snapshot();
      const proposal = (await readProposals(client, { deployment, blockNumber: snapshot.blockNumber })).find((p) => p.id === proposalId)!;
      const votes = await readVotes(client, { deployment, proposalId, blockNumber: snapshot.blockNumber });
      return detectGovernanceRisks(await readProposalForensics(client, { deployment, proposal, votes, snapshot }), deployment);
    },
    async equityOnChain(account) {
      const [equity] = await publicClient.readContract({ address: ch, abi: clearinghouseAbi, functionName: "accountRisk", args: [account] });
      return equity;
    },
    async stop() {
      keeper.stop();
      await fixture.stop();
    },
  };
  return harness;
}

/** Σ −equity of `accounts` by the engine, for comparing with the chain. */
export function deficitOf(snapshot: ProtocolSnapshot, accounts: readonly string[]): bigint {
  const wanted = new Set(accounts.map((a) => a.toLowerCase()));
  return snapshot.accounts.filter((a) => wanted.has(a.address)).reduce((sum, a) => {
    const e = computeAccountRisk(snapshot, a).equityUsd;
    return e < 0n ? sum - e : sum;
  }, 0n);
}
