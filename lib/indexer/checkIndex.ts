/**
 * checkIndex(client, { deployment, indexerUrl }) — is the index equal to the chain? Compares,
 * to the wei, what the indexer holds with what the lens (ClearinghouseLens) reads at the same
 * block, and says every difference in words.
 *
 * - State: markets (parameters, flags, open interest, mark price and its time), collaterals
 *   (token, parameters, deposits, seized, price), reserves and global parameters, the account
 *   count, and every account (address at each registration index, cash, balances, positions),
 *   page by page. Each page is one consistent read of the index at its own block (the chain may
 *   move during the check), compared with the lens at that block.
 * - History: at `historySamples` blocks spread from the deployment to the index's head, the
 *   stored reserves, bad debt, account count and each market's open interest and mark price,
 *   compared with the lens at those blocks.
 * - Governance: each indexed delegate's voting power (the token's getVotes) and each proposal's
 *   tallies (the governor's proposalVotes) and fate (executed, canceled: its state), at the head.
 * - Reorgs: a block the index holds must be the chain's block of that number (same hash); one
 *   the chain no longer has is reported, not compared.
 */

import type { Hex, PublicClient } from "viem";
import { backstopGovernorAbi, backstopTokenAbi, clearinghouseLensAbi } from "../contracts/abis.ts";
import type { Deployment } from "../contracts/deployment.ts";
import type { IndexedState } from "./indexedState.ts";
import { readIndexedHistory, readIndexedState } from "./readIndexedState.ts";

export interface CheckIndexParameters {
  deployment: Deployment;
  /** The indexer's HTTP origin, e.g. http://127.0.0.1:42069. */
  indexerUrl: string;
  /** Accounts per page (index and lens alike). Default 500, what one lens call fits. */
  pageSize?: number;
  /** History blocks to compare besides the head. Default 8. */
  historySamples?: number;
}

export interface CheckIndexReturnType {
  /** True when nothing differs. */
  ok: boolean;
  /** The index's block when the check began, and its hash. */
  blockNumber: bigint;
  blockHash: Hex;
  compared: { markets: number; collaterals: number; accounts: number; positions: number; balances: number; delegates: number; proposals: number; historyBlocks: number };
  /** Every difference, one sentence each, naming the block it was seen at. */
  drifts: string[];
}

type Value = bigint | number | string | boolean;

/** OpenZeppelin's IGovernor.ProposalState values the index records. */
const PROPOSAL_STATE = { canceled: 2, executed: 7 } as const;

/** Collects differences for one subject at one block. */
function differ(drifts: string[], blockNumber: bigint) {
  return (subject: string, field: string, indexed: Value | undefined, chain: Value) => {
    const same = typeof chain === "string" && typeof indexed === "string" ? indexed.toLowerCase() === chain.toLowerCase() : indexed === chain;
    if (same) return;
    if (indexed === undefined) {
      drifts.push(`${subject}: ${field} is ${chain} on chain at block ${blockNumber} but missing from the index`);
      return;
    }
    // In the field's own unit: wei of a WAD amount, token units of a balance, seconds of a time.
    const off = typeof indexed === "bigint" && typeof chain === "bigint" ? ` (index − chain = ${indexed - chain})` : "";
    drifts.push(`${subject}: ${field} is ${indexed} in the index but ${chain} on chain at block ${blockNumber}${off}`);
  };
}

/** Whether the index's block is still the chain's block of that number; a drift sentence if not. */
async function onCanonicalChain(client: PublicClient, block: IndexedState["block"], drifts: string[]): Promise<boolean> {
  const chainBlock = await client.getBlock({ blockNumber: block.number }).catch(() => undefined);
  if (chainBlock?.hash === block.hash) return true;
  drifts.push(
    chainBlock
      ? `the index is at block ${block.number} (hash ${block.hash}), which the chain no longer has (its block ${block.number} is ${chainBlock.hash}): a reorg the indexer has not processed yet`
      : `the index is at block ${block.number}, which the chain does not have (the chain was reset or rolled back past it)`,
  );
  return false;
}

export async function checkIndex(client: PublicClient, { deployment, indexerUrl, pageSize = 500, historySamples = 8 }: CheckIndexParameters): Promise<CheckIndexReturnType> {
  const lens = { address: deployment.contracts.lens, abi: clearinghouseLensAbi } as const;
  const drifts: string[] = [];
  const compared = { markets: 0, collaterals: 0, accounts: 0, positions: 0, balances: 0, delegates: 0, proposals: 0, historyBlocks: 0 };
  const first = await readIndexedState(indexerUrl, { offset: 0, limit: pageSize });
  const head = first.block;
  const report = (): CheckIndexReturnType => ({ ok: drifts.length === 0, blockNumber: head.number, blockHash: head.hash, compared, drifts });
  if (!(await onCanonicalChain(client, head, drifts))) return report();

  // Markets, collaterals, reserves and the account count at the head.
  const at = { blockNumber: head.number } as const;
  const [markets, collaterals, reserves, accountCount] = await Promise.all([
    client.readContract({ ...lens, functionName: "getMarkets", ...at }),
    client.readContract({ ...lens, functionName: "getCollaterals", ...at }),
    client.readContract({ ...lens, functionName: "getReserves", ...at }),
    client.readContract({ ...lens, functionName: "accountCount", ...at }),
  ]);
  const diff = differ(drifts, head.number);
  const prices = new Map(first.prices.map((p) => [p.feedId.toLowerCase(), p]));
  const priceOf = (feedId: Hex) => prices.get(feedId.toLowerCase()) ?? { priceWad: 0n, updatedAt: 0n };

  /** Each listing on chain with its row in the index, by id; the count and every missing row are drifts. */
  const pairListed = <C extends { id: bigint; symbol: string }, I extends { id: number }>(kind: "market" | "collateral", onChain: readonly C[], indexedRows: readonly I[]) => {
    diff(`${kind}s`, "count", indexedRows.length, onChain.length);
    return onChain.flatMap((chainRow) => {
      const indexed = indexedRows.find((row) => row.id === Number(chainRow.id));
      const subject = `${kind} ${chainRow.symbol} (${chainRow.id})`;
      if (!indexed) drifts.push(`${subject} is listed on chain at block ${head.number} but missing from the index`);
      return indexed ? [{ chainRow, indexed, subject }] : [];
    });
  };

  for (const { chainRow: m, indexed, subject } of pairListed("market", markets, first.markets)) {
    compared.markets++;
    diff(subject, "symbol", indexed.symbol, m.symbol);
    diff(subject, "feed id", indexed.feedId, m.feedId);
    diff(subject, "IMR", indexed.imrWad, m.params.imr);
    diff(subject, "MMR", indexed.mmrWad, m.params.mmr);
    diff(subject, "liquidation penalty", indexed.liquidationPenaltyWad, m.params.liquidationPenalty);
    diff(subject, "keeper share", indexed.keeperShareWad, m.params.keeperShare);
    diff(subject, "OI cap", indexed.oiCapUsd, m.params.oiCapUsd);
    diff(subject, "concentration cap", indexed.concentrationCapWad, m.params.concentrationCap);
    diff(subject, "oracle max age", indexed.oracleMaxAgeSec, m.params.oracleMaxAge);
    diff(subject, "frozen", indexed.frozen, m.frozen);
    diff(subject, "paused", indexed.paused, m.paused);
    diff(subject, "unpaused at", indexed.unpausedAt, m.unpausedAt);
    diff(subject, "long open interest", indexed.longOpenInterestWad, m.longOpenInterest);
    diff(subject, "short open interest", indexed.shortOpenInterestWad, m.shortOpenInterest);
    diff(subject, "mark price", priceOf(m.feedId).priceWad, m.markPrice);
    diff(subject, "price time", priceOf(m.feedId).updatedAt, m.priceUpdatedAt);
  }

  for (const { chainRow: c, indexed, subject } of pairListed("collateral", collaterals, first.collaterals)) {
    compared.collaterals++;
    diff(subject, "token", indexed.token, c.token);
    diff(subject, "symbol", indexed.symbol, c.symbol);
    diff(subject, "decimals", indexed.decimals, c.decimals);
    diff(subject, "feed id", indexed.feedId, c.feedId);
    diff(subject, "weight", indexed.weightWad, c.params.weight);
    diff(subject, "deposit cap", indexed.depositCap, c.params.depositCap);
    diff(subject, "oracle max age", indexed.oracleMaxAgeSec, c.params.oracleMaxAge);
    diff(subject, "frozen", indexed.frozen, c.frozen);
    diff(subject, "total deposits", indexed.totalDeposits, c.totalDeposits);
    diff(subject, "seized", indexed.seized, c.seized);
    diff(subject, "price", priceOf(c.feedId).priceWad, c.price);
    diff(subject, "price time", priceOf(c.feedId).updatedAt, c.priceUpdatedAt);
  }

  const r = first.reserves;
  diff("reserves", "insurance fund", r?.insuranceFundWad, reserves.insuranceFund);
  diff("reserves", "default fund", r?.defaultFundWad, reserves.defaultFund);
  diff("reserves", "default-fund shares", r?.defaultFundShares, reserves.defaultFundShares);
  diff("reserves", "shares in cooldown", r?.pendingWithdrawalShares, reserves.pendingWithdrawalShares);
  diff("reserves", "bad debt", r?.badDebtWad, reserves.badDebt);
  diff("reserves", "ADL mode", r?.adlMode, reserves.adlMode);
  diff("reserves", "grace period", r?.gracePeriodSec, reserves.gracePeriod);
  diff("reserves", "default-fund cooldown", r?.defaultFundCooldownSec, reserves.defaultFundCooldown);
  diff("accounts", "count", first.accountCount, Number(accountCount));

  // Governance at the head: voting power and proposals' tallies and fate.
  const token = { address: deployment.contracts.governanceToken, abi: backstopTokenAbi } as const;
  const governor = { address: deployment.contracts.governor, abi: backstopGovernorAbi } as const;
  const multicall = { allowFailure: false, blockNumber: head.number, multicallAddress: deployment.contracts.multicall3 } as const;
  const votes = await client.multicall({ ...multicall, contracts: first.delegates.map((d) => ({ ...token, functionName: "getVotes" as const, args: [d.address] as const })) });
  first.delegates.forEach((d, i) => {
    compared.delegates++;
    diff(`delegate ${d.address}`, "voting power", d.votes, votes[i]!);
  });
  const [tallies, states] = await Promise.all([
    client.multicall({ ...multicall, contracts: first.proposals.map((p) => ({ ...governor, functionName: "proposalVotes" as const, args: [p.id] as const })) }),
    client.multicall({ ...multicall, contracts: first.proposals.map((p) => ({ ...governor, functionName: "state" as const, args: [p.id] as const })) }),
  ]);
  first.proposals.forEach((p, i) => {
    compared.proposals++;
    const [against, forVotes, abstain] = tallies[i]!;
    const subject = `proposal ${p.id}`;
    diff(subject, "votes for", p.forVotes, forVotes);
    diff(subject, "votes against", p.againstVotes, against);
    diff(subject, "abstentions", p.abstainVotes, abstain);
    diff(subject, "executed", p.executed, states[i] === PROPOSAL_STATE.executed);
    diff(subject, "canceled", p.canceled, states[i] === PROPOSAL_STATE.canceled);
  });

  // Accounts, page by page, each page against the lens at the block it was read at.
  for (let offset = 0; offset < Number(accountCount); offset += pageSize) {
    const page = offset === 0 ? first : await readIndexedState(indexerUrl, { offset, limit: pageSize });
    if (page.block.hash !== head.hash && !(await onCanonicalChain(client, page.block, drifts))) break;
    const chainPage = await client.readContract({ ...lens, functionName: "getAccounts", args: [BigInt(offset), BigInt(pageSize)], blockNumber: page.block.number });
    const pageDiff = differ(drifts, page.block.number);
    chainPage.forEach((onChain, i) => {
      const index = offset + i;
      const indexed = page.accounts.find((a) => a.index === index);
      if (!indexed) {
        drifts.push(`account ${onChain.account} (index ${index}) is registered on chain at block ${page.block.number} but missing from the index`);
        return;
      }
      compared.accounts++;
      const subject = `account ${onChain.account} (index ${index})`;
      pageDiff(subject, "address", indexed.address, onChain.account);
      pageDiff(subject, "cash", indexed.cashWad, onChain.cash);
      onChain.balances.forEach((amount, assetId) => {
        compared.balances++;
        pageDiff(subject, `balance of asset ${assetId}`, indexed.balances[assetId] ?? 0n, amount);
      });
      pageDiff(subject, "open positions", indexed.positions.map((p) => p.marketId).join(",") || "none", onChain.positions.map((p) => String(p.marketId)).join(",") || "none");
      for (const p of onChain.positions) {
        compared.positions++;
        const mine = indexed.positions.find((row) => row.marketId === Number(p.marketId));
        if (!mine) continue;
        pageDiff(subject, `size in market ${p.marketId}`, mine.sizeWad, p.size);
        pageDiff(subject, `open notional in market ${p.marketId}`, mine.openNotionalWad, p.openNotional);
      }
    });
  }

  // History at sampled blocks.
  const from = BigInt(deployment.deployBlock);
  const samples = [...new Set(Array.from({ length: historySamples }, (_, i) => from + ((head.number - from) * BigInt(i)) / BigInt(Math.max(historySamples, 1))).concat(head.number))];
  const history = await readIndexedHistory(indexerUrl, { blocks: samples });
  for (const blockNumber of samples) {
    const row = history.find((h) => h.blockNumber === blockNumber);
    if (!row) {
      drifts.push(`history: no row for block ${blockNumber}, which the index has passed`);
      continue;
    }
    const historyDiff = differ(drifts, blockNumber);
    const chainBlock = await client.getBlock({ blockNumber });
    historyDiff(`history of block ${blockNumber}`, "block hash", row.blockHash, chainBlock.hash);
    if (row.blockHash !== chainBlock.hash) continue;
    // The deployment's first blocks precede the lens: nothing to compare there.
    if (!(await client.getCode({ address: lens.address, blockNumber }))) continue;
    compared.historyBlocks++;
    const atSample = { blockNumber } as const;
    const [sampleMarkets, sampleReserves, sampleCount] = await Promise.all([
      client.readContract({ ...lens, functionName: "getMarkets", ...atSample }),
      client.readContract({ ...lens, functionName: "getReserves", ...atSample }),
      client.readContract({ ...lens, functionName: "accountCount", ...atSample }),
    ]);
    const subject = `history of block ${blockNumber}`;
    historyDiff(subject, "insurance fund", row.insuranceFundWad, sampleReserves.insuranceFund);
    historyDiff(subject, "default fund", row.defaultFundWad, sampleReserves.defaultFund);
    historyDiff(subject, "bad debt", row.badDebtWad, sampleReserves.badDebt);
    historyDiff(subject, "account count", row.accountCount, Number(sampleCount));
    historyDiff(subject, "markets", row.markets.length, sampleMarkets.length);
    for (const m of sampleMarkets) {
      const stored = row.markets.find((x) => x.marketId === Number(m.id));
      if (!stored) continue;
      historyDiff(`${subject}, market ${m.symbol}`, "mark price", stored.markPriceWad, m.markPrice);
      historyDiff(`${subject}, market ${m.symbol}`, "long open interest", stored.longOpenInterestWad, m.longOpenInterest);
      historyDiff(`${subject}, market ${m.symbol}`, "short open interest", stored.shortOpenInterestWad, m.shortOpenInterest);
    }
  }
  return report();
}
