/**
 * followSnapshot: the snapshot of each new block from the last one, re-reading only the accounts
 * the block changed. Every block still gets its venue (markets, prices, collaterals, reserves,
 * the account count: one eth_call, readVenue); the accounts come from the block's clearinghouse
 * logs — every address an event of the block names (the account of a deposit, trade, position or
 * cash update, liquidation, seizure; the keeper; an ADL counterparty) is read again, one lens
 * call each, and the rows registered since are read as a range. Every other account is the last
 * snapshot's object, unchanged (snapshots are values: they are shared, never modified).
 *
 * The logs are only trusted on the chain the last snapshot was read on: a block whose parent is
 * the last block, or a few blocks further (MAX_GAP) whose ancestor at the last height is still
 * the last block; anything else — the first block, a reorg, a long gap — is a full read
 * (readSnapshot). A full read is also forced every `fullEvery` blocks (a safety net: a state
 * change some event failed to name would not outlive it).
 *
 * Example: 5,000 accounts, a block with one trade between two of them and a price update: one
 * venue call, one eth_getLogs, one call for the two accounts, instead of eleven pages of 500.
 */

import { decodeEventLog, type Hash, type Log, type PublicClient } from "viem";
import type { Account, ProtocolSnapshot } from "../../engine/types.ts";
import { clearinghouseAbi } from "../contracts/abis.ts";
import type { Deployment } from "../contracts/deployment.ts";
import { readAccountRange, readAccountRows, readSnapshot, readVenue, type BlockHeader } from "./readSnapshot.ts";

/** The most blocks a follower bridges with one eth_getLogs; further behind, it reads the whole state. */
export const MAX_GAP = 64n;

export interface FollowedBlock extends BlockHeader {
  parentHash: Hash;
}

export interface SnapshotFollower {
  /** The snapshot at `block`. */
  read(block: FollowedBlock): Promise<ProtocolSnapshot>;
  /** How the last read was done: the whole state, or the accounts re-read (and how many). */
  readonly last?: { kind: "full" } | { kind: "incremental"; accountsRead: number; blocks: number };
}

export interface FollowSnapshotParameters {
  deployment: Deployment;
  /** Read the whole state at least every this many blocks (default 1,000). */
  fullEvery?: bigint;
}

/** A follower of `deployment` through `client`: reads asked for at once are done one after another, each from the last. */
export function followSnapshot(client: PublicClient, { deployment, fullEvery = 1000n }: FollowSnapshotParameters): SnapshotFollower {
  let current: ProtocolSnapshot | undefined;
  let fullAt = 0n;
  // Where each account sits in the registry (append-only: rows never move).
  let rows = new Map<string, number>();
  let queue: Promise<unknown> = Promise.resolve();
  const follower: { -readonly [K in keyof SnapshotFollower]: SnapshotFollower[K] } = {
    last: undefined,
    read(block) {
      const read = queue.then(() => readAfter(block));
      queue = read.catch(() => undefined);
      return read;
    },
  };

  async function readAfter(block: FollowedBlock): Promise<ProtocolSnapshot> {
    if (current && block.hash === current.blockHash) return current;
    // The venue is read beside the logs, not after them (dropped when the state is read in full).
    const venueRead = current && block.number - fullAt < fullEvery ? readVenue(client, deployment, block) : undefined;
    venueRead?.catch(() => undefined);
    const logs = current && venueRead ? await logsSince(current, block) : undefined;
    const named = logs?.map(addressesOf);
    // A log this ABI cannot decode may change accounts it cannot name: the whole state is read.
    if (!current || !named || named.some((addresses) => addresses === undefined)) {
      current = await readSnapshot(client, { deployment, block });
      fullAt = block.number;
      rows = new Map(current.accounts.map((a, row) => [a.address, row]));
      follower.last = { kind: "full" };
      return current;
    }
    const { venue, accountCount } = await venueRead!;
    const known = current.accounts.length;
    const touched = [...new Set(named.flatMap((addresses) => addresses!))].map((address) => rows.get(address)).filter((row): row is number => row !== undefined);
    const [changed, added] = await Promise.all([readAccountRows(client, deployment, block, touched), readAccountRange(client, deployment, block, known, accountCount)]);
    const accounts: Account[] = current.accounts.slice();
    touched.forEach((row, i) => (accounts[row] = changed[i]!));
    for (const account of added) {
      rows.set(account.address, accounts.length);
      accounts.push(account);
    }
    follower.last = { kind: "incremental", accountsRead: changed.length + added.length, blocks: Number(block.number - current.blockNumber) };
    current = { ...venue, accounts };
    return current;
  }

  /** The clearinghouse's logs after `from` up to `block`, or undefined when they cannot be trusted to be on `from`'s chain. */
  async function logsSince(from: ProtocolSnapshot, block: FollowedBlock): Promise<Log[] | undefined> {
    const address = deployment.contracts.clearinghouse;
    if (block.parentHash === from.blockHash) return client.getLogs({ address, blockHash: block.hash });
    if (block.number <= from.blockNumber || block.number - from.blockNumber > MAX_GAP) return undefined;
    const ancestor = await client.getBlock({ blockNumber: from.blockNumber });
    if (ancestor.hash !== from.blockHash) return undefined;
    const logs = await client.getLogs({ address, fromBlock: from.blockNumber + 1n, toBlock: block.number });
    // The range was read by number: its last block must be the one asked for (no reorg in between).
    return logs.every((log) => log.blockNumber !== block.number || log.blockHash === block.hash) ? logs : undefined;
  }

  return follower;
}

/** Every address an event names (lower-case): whoever's account it may have changed; undefined for an event this ABI does not know. */
function addressesOf(log: Log): string[] | undefined {
  try {
    const { args } = decodeEventLog({ abi: clearinghouseAbi, data: log.data, topics: log.topics });
    return Object.values(args ?? {}).filter((value): value is string => typeof value === "string" && /^0x[0-9a-fA-F]{40}$/.test(value)).map((a) => a.toLowerCase());
  } catch {
    return undefined;
  }
}
