/**
 * followSnapshot: the snapshot of each new block from the last one, without reading an account
 * from the node. Every block still gets its venue (markets, prices, collaterals, reserves, the
 * account count: one eth_call, readVenue, made beside the logs'); the accounts are the last
 * snapshot's with the block's clearinghouse logs applied (accountLogs: the contract announces
 * each account's new cash and positions and each balance's change, as the indexer reads them).
 * Every other account is the last snapshot's object, unchanged (snapshots are values: they are
 * shared, never modified).
 *
 * The logs are only trusted on the chain the last snapshot was read on: a block whose parent is
 * the last block, or a few blocks further (MAX_GAP) whose ancestor at the last height is still
 * the last block; anything else — the first block, a reorg, a long gap — is a full read
 * (readSnapshot). So is a block whose logs do not fit what was kept (an event the ABI does not
 * know, an account never registered, a count of accounts other than the venue's, a collateral
 * listed since), and a read every `fullEvery` blocks (a safety net: a state change some event
 * failed to announce would not outlive it).
 *
 * Example: 100,000 accounts, a block of 500 trades: one venue call and one eth_getLogs (~2,500
 * logs applied in a few milliseconds), instead of a lens call for the 1,000 accounts they name.
 */

import type { Hash, Log, PublicClient } from "viem";
import type { ProtocolSnapshot } from "../../engine/types.ts";
import type { Deployment } from "../contracts/deployment.ts";
import { applyAccountLogs } from "./accountLogs.ts";
import { readSnapshot, readVenue, type BlockHeader } from "./readSnapshot.ts";

/** The most blocks a follower bridges with one eth_getLogs; further behind, it reads the whole state. */
export const MAX_GAP = 64n;

export interface FollowedBlock extends BlockHeader {
  parentHash: Hash;
}

export interface SnapshotFollower {
  /** The snapshot at `block`. */
  read(block: FollowedBlock): Promise<ProtocolSnapshot>;
  /** How the last read was done: the whole state, or the logs of `blocks` blocks applied (changing or adding `accountsChanged` accounts). */
  readonly last?: { kind: "full" } | { kind: "incremental"; accountsChanged: number; blocks: number };
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
    const followed = current && logs && (await venueRead!);
    if (current && logs && followed && followed.venue.collaterals.length === current.collaterals.length) {
      // `rows` grows with the registrations applied; a full read below makes it again if they do not fit.
      const accounts = current.accounts.slice();
      const changed = applyAccountLogs(accounts, rows, logs, { marketCount: followed.venue.markets.length, collateralCount: followed.venue.collaterals.length });
      if (changed && accounts.length === followed.accountCount) {
        follower.last = { kind: "incremental", accountsChanged: changed.length, blocks: Number(block.number - current.blockNumber) };
        current = { ...followed.venue, accounts };
        return current;
      }
    }
    current = await readSnapshot(client, { deployment, block });
    fullAt = block.number;
    rows = new Map(current.accounts.map((a, row) => [a.address, row]));
    follower.last = { kind: "full" };
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
