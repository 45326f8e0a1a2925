/**
 * readSnapshot(client, { deployment, blockNumber }) — the whole protocol state at one block, as
 * the engine's ProtocolSnapshot. Every read is pinned to that block (so the figures on one
 * screen are consistent) and batched through Multicall3: the markets, collaterals, reserves and
 * account count in one eth_call (readVenue), then the accounts in pages of `pageSize`,
 * `pagesPerCall` pages per eth_call (readAccountRange). followSnapshot.ts reads the venue alone
 * for each new block, and applies the block's logs to the accounts.
 */

import type { Hash, PublicClient } from "viem";
import { clearinghouseLensAbi } from "../contracts/abis.ts";
import type { Deployment } from "../contracts/deployment.ts";
import type { Account, ProtocolSnapshot } from "../../engine/types.ts";
import { reshapeCollateral, reshapeMarket, reshapeReserves } from "../mappers/snapshot.ts";
import { decodeAccountsAggregate, encodeAccountsAggregate, type AccountsCall } from "./accountCodec.ts";

export interface ReadSnapshotParameters {
  deployment: Deployment;
  /** Default: the latest block. */
  blockNumber?: bigint;
  /**
   * The block's header when the caller already has it (the server fetches the head first to key
   * its cache by hash): saves the header request, and the snapshot carries that hash.
   */
  block?: BlockHeader;
  pageSize?: number;
  pagesPerCall?: number;
  /** The most eth_calls in flight at once (default READ_CONCURRENCY). A read in the background keeps it lower, so that other reads are not queued behind it. */
  concurrency?: number;
  /** Awaited before each eth_call of the accounts: a read in the background waits there while the node and the cores have other work (followSnapshot's hold). */
  beforeEachCall?: () => Promise<unknown>;
}

export type ReadSnapshotReturnType = ProtocolSnapshot;

/** What a snapshot needs of its block. */
export interface BlockHeader {
  number: bigint;
  hash: Hash;
  timestamp: bigint;
}

/** A snapshot but its accounts, and the number of accounts at that block. */
export interface VenueRead {
  venue: Omit<ProtocolSnapshot, "accounts">;
  accountCount: number;
}

const lensOf = (deployment: Deployment) => ({ address: deployment.contracts.lens, abi: clearinghouseLensAbi }) as const;

/** The markets, collaterals, reserves, settings and account count at `block`, in one eth_call. */
export async function readVenue(client: PublicClient, deployment: Deployment, block: BlockHeader): Promise<VenueRead> {
  const lens = lensOf(deployment);
  const [markets, collaterals, reserves, accountCount] = await client.multicall({
    contracts: [
      { ...lens, functionName: "getMarkets" },
      { ...lens, functionName: "getCollaterals" },
      { ...lens, functionName: "getReserves" },
      { ...lens, functionName: "accountCount" },
    ],
    allowFailure: false,
    blockNumber: block.number,
    multicallAddress: deployment.contracts.multicall3,
  });
  const { reserves: reserveState, global } = reshapeReserves(reserves);
  const venue = { chainId: deployment.chainId, blockNumber: block.number, blockHash: block.hash, timestamp: block.timestamp, markets: markets.map(reshapeMarket), collaterals: collaterals.map(reshapeCollateral), reserves: reserveState, global };
  return { venue, accountCount: Number(accountCount) };
}

/**
 * The most eth_calls of accounts a read keeps at the node at once, by default. It sent them all
 * at once before: 1,000 at 1,000,000 accounts. A node answers a few at a time (anvil here: two
 * cores); the rest waited there, past the server's 10 s timeout on a slow day, were asked again
 * (RPC_RETRY_COUNT) while the node still worked on the first, and the server's first read never
 * ended — 758 connections open to anvil and 802 more being opened, 7 minutes in (2026-12-07).
 * Measured on one 100,000-account chain, three reads each, in turn: all at once 3.8–4.1 s, 8 at
 * a time 3.1–3.2 s, 4 3.2–3.7 s, 2 3.5–3.9 s.
 */
export const READ_CONCURRENCY = 8;

type AccountRangeOptions = Pick<ReadSnapshotParameters, "pageSize" | "pagesPerCall" | "concurrency" | "beforeEachCall">;

/** The pages of rows `from` … `to` − 1, `pageSize` rows each. */
function pagesOf(from: number, to: number, pageSize: number): AccountsCall[] {
  const calls: AccountsCall[] = [];
  for (let offset = from; offset < to; offset += pageSize) calls.push({ offset, limit: Math.min(pageSize, to - offset) });
  return calls;
}

/** The accounts at rows `from` … `to` − 1 of the registry at `block`, read by eachAccountCall and kept in row order. */
async function readAccountRange(client: PublicClient, deployment: Deployment, block: BlockHeader, from: number, to: number, options: AccountRangeOptions = {}): Promise<Account[]> {
  const accounts: Account[] = new Array(Math.max(0, to - from));
  await eachAccountCall(client, deployment, block, from, to, (first, read) => read.forEach((account, k) => (accounts[first - from + k] = account)), options);
  return accounts;
}

/**
 * The accounts at rows `from` … `to` − 1 of the registry at `block`, in pages of `pageSize`,
 * `pagesPerCall` pages an eth_call, `concurrency` eth_calls at a time, handed to `each` an
 * eth_call's worth at a time (its first row, its accounts) and not kept: a read that compares as
 * it goes (followSnapshot's verification) holds one call's accounts, not a venue's. Holding a
 * venue's, at 1,000,000 accounts, the block worker's heap grew by ~1.5 GB over the read, and V8
 * marked it again every 3–4 s (~1 s of marking each time, on both cores) through the blocks the
 * worker followed meanwhile.
 */
export async function eachAccountCall(client: PublicClient, deployment: Deployment, block: BlockHeader, from: number, to: number, each: (first: number, accounts: Account[]) => void, { pageSize = 500, pagesPerCall = 2, concurrency = READ_CONCURRENCY, beforeEachCall }: AccountRangeOptions = {}): Promise<void> {
  const calls = pagesOf(from, to, pageSize);
  await eachCall(client, deployment, block, calls, pagesPerCall, concurrency, beforeEachCall, (at, accounts) => each(calls[at * pagesPerCall]!.offset, accounts));
}

/** The accounts at `rows` of the registry at `block`, in the order given (a page of one each, `perCall` pages an eth_call). */
export function readAccountRows(client: PublicClient, deployment: Deployment, block: BlockHeader, rows: readonly number[], { perCall = 100 } = {}): Promise<Account[]> {
  return readAccountCalls(client, deployment, block, rows.map((offset) => ({ offset, limit: 1 })), perCall, Infinity);
}

/** getAccounts `calls`, each eth_call's accounts kept in the order of the calls. */
async function readAccountCalls(client: PublicClient, deployment: Deployment, block: BlockHeader, calls: AccountsCall[], perCall: number, concurrency: number): Promise<Account[]> {
  const results: Account[][] = [];
  await eachCall(client, deployment, block, calls, perCall, concurrency, undefined, (at, accounts) => (results[at] = accounts));
  return results.flat();
}

/**
 * getAccounts `calls` through Multicall3, `perCall` an eth_call, at most `concurrency` in flight,
 * encoded and decoded by accountCodec (viem's generic codec costs ~80 µs an account); each
 * eth_call's accounts handed to `each` with the call's index as they are decoded.
 */
async function eachCall(client: PublicClient, deployment: Deployment, block: BlockHeader, calls: AccountsCall[], perCall: number, concurrency: number, beforeEachCall: (() => Promise<unknown>) | undefined, each: (at: number, accounts: Account[]) => void): Promise<void> {
  const groups: AccountsCall[][] = [];
  for (let i = 0; i < calls.length; i += perCall) groups.push(calls.slice(i, i + perCall));
  let next = 0;
  // Each lane takes the next group when its last one is decoded.
  const lane = async () => {
    for (let at = next++; at < groups.length; at = next++) {
      await beforeEachCall?.();
      const { data } = await client.call({ to: deployment.contracts.multicall3, data: encodeAccountsAggregate(deployment.contracts.lens, groups[at]!), blockNumber: block.number });
      each(at, decodeAccountsAggregate(data ?? "0x"));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, groups.length) }, lane));
}

export async function readSnapshot(client: PublicClient, { deployment, blockNumber, block: known, ...range }: ReadSnapshotParameters): Promise<ReadSnapshotReturnType> {
  const block = known ?? (await client.getBlock(blockNumber === undefined ? { blockTag: "latest" } : { blockNumber }));
  const { venue, accountCount } = await readVenue(client, deployment, block);
  return { ...venue, accounts: await readAccountRange(client, deployment, block, 0, accountCount, range) };
}
