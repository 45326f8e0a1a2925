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
 * listed since).
 *
 * The safety net — a state change some event failed to announce must not outlive a while — is a
 * full read of the followed accounts every `verifyEvery` blocks, made in the background, a few
 * eth_calls at a time, while the following goes on: the accounts followed are compared with each
 * eth_call's accounts as they come, which are not kept (readSnapshot's eachAccountCall), and a
 * difference (a drift: logged, and in `verified`) makes the next read a full one. At 1,000,000
 * accounts a full read takes a minute or more; in the way of the blocks it stopped the server
 * following the chain for that long every `verifyEvery` blocks. It reads in parts of
 * VERIFY_ACCOUNTS_PER_PART accounts, each at the newest block followed when the part begins,
 * compared with that block's followed accounts: a node that keeps only its last few blocks' states
 * (anvil --prune-history, a pruned full node) still has them, where one read of a million accounts
 * at one block outlasted the states kept and never verified.
 *
 * Example: 100,000 accounts, a block of 500 trades: one venue call and one eth_getLogs (~2,500
 * logs applied in a few milliseconds), instead of a lens call for the 1,000 accounts they name.
 */

import { hexToBigInt, numberToHex, type Hash, type PublicClient, type RpcLog } from "viem";
import type { Alert } from "../../engine/alerts/computeAlerts.ts";
import type { Account, ProtocolSnapshot } from "../../engine/types.ts";
import { rememberRowsChanged } from "../../engine/index.ts";
import type { Deployment } from "../contracts/deployment.ts";
import { shortMessageOf } from "../errors/backstopError.ts";
import { applyAccountLogs } from "./accountLogs.ts";
import { eachAccountCall, readAccountRows, readSnapshot, readVenue, type BlockHeader } from "./readSnapshot.ts";

/** The most blocks a follower bridges with one eth_getLogs; further behind, it reads the whole state. */
export const MAX_GAP = 64n;

export interface FollowedBlock extends BlockHeader {
  parentHash: Hash;
}

export interface SnapshotFollower {
  /** The snapshot at `block`. */
  read(block: FollowedBlock): Promise<ProtocolSnapshot>;
  /** How the last read was done: the whole state (and why), or the logs of `blocks` blocks applied (changing or adding `accountsChanged` accounts). */
  readonly last?: { kind: "full"; why: string } | { kind: "incremental"; accountsChanged: number; blocks: number; /** Of the read, the ms spent waiting for the node's logs and venue (the rest: applying them). */ nodeMs: number };
  /** The last verification done: ended at block `blockNumber` (its last part's), the number of accounts followed that differed from the chain's (0: none). */
  readonly verified?: { blockNumber: bigint; drifted: number };
  /** The verification under way, if any: settles (never rejects) when it is done. */
  readonly verifying?: Promise<void>;
  /** The block whose accounts were last all read from the chain or checked against it: a full read's, or the block the last verification that ended began at. None before the first read. */
  readonly checkedAt?: bigint;
  /** Why the last verification could not end, while none has ended since. */
  readonly verifyFailure?: string;
  /** A verification begins once this many blocks have been followed since `checkedAt`. */
  readonly verifyEvery: bigint;
  /**
   * Holds the verification's next reads of the chain until `until` settles: while a block is
   * worked (its read, views and bytes) the verification sends the node nothing new and decodes
   * nothing on the block's thread. A call already in flight still runs: at 1,000,000 accounts the
   * block after a verification began still waited ~1 s for the node's answer to its logs, held or
   * not, with calls of 1,000 accounts or of 250.
   */
  hold(until: Promise<unknown>): void;
}

/**
 * The alert a verification's drift makes on the overview (none when the last one found the
 * accounts equal, or none was done): what the server followed differed from the chain — state
 * changed with no event saying so (a contract's bug or an upgrade) or a follower's — and was read
 * again in full. It stands until a later verification finds none.
 */
export function followerDriftAlert(verified: SnapshotFollower["verified"]): Alert | undefined {
  if (!verified || verified.drifted === 0) return undefined;
  const accounts = `${verified.drifted.toLocaleString("en-US")} account${verified.drifted === 1 ? "" : "s"}`;
  return {
    id: "follower-drift",
    severity: "warning",
    title: `${accounts} followed from events differed from the chain at block ${verified.blockNumber.toLocaleString("en-US")}`,
    detail: `The server keeps each account from the clearinghouse's events and checks them against a full read every so often: at block ${verified.blockNumber.toLocaleString("en-US")}, ${accounts} did not match, so state changed without an event announcing it. The whole state was read again from the chain; figures shown since are the chain's.`,
  };
}

/**
 * How many times `verifyEvery` blocks may pass since the followed accounts were last checked
 * against the chain before the overview says so. A verification begins `verifyEvery` blocks after
 * the last check and reads every account meanwhile (at 1,000,000 accounts on a slow host, 1,320 s:
 * over a thousand blocks of a second): twice that is a check late, three times one that is not
 * coming (the node refusing its reads, a verification that never ends).
 */
export const CHECK_OVERDUE_TIMES = 3n;

/**
 * The alert the overview shows when the followed accounts have not been checked against the chain
 * for CHECK_OVERDUE_TIMES × `verifyEvery` blocks at `blockNumber` (none otherwise): the safety net
 * that finds a state change no event announced is not working, and figures could be wrong unseen.
 */
export function followerCheckOverdueAlert(follower: Pick<SnapshotFollower, "checkedAt" | "verifyFailure" | "verifyEvery">, blockNumber: bigint): Alert | undefined {
  const { checkedAt, verifyFailure, verifyEvery } = follower;
  if (checkedAt === undefined) return undefined;
  const since = blockNumber - checkedAt;
  if (since <= CHECK_OVERDUE_TIMES * verifyEvery) return undefined;
  return {
    id: "follower-check-overdue",
    severity: "warning",
    title: `The accounts followed from events have not been checked against the chain for ${since.toLocaleString("en-US")} blocks`,
    detail: `The server keeps each account from the clearinghouse's events and checks them all against the chain every ${verifyEvery.toLocaleString("en-US")} blocks; the last check was at block ${checkedAt.toLocaleString("en-US")}. ${verifyFailure ? `The last one could not end: ${verifyFailure}.` : "One is under way and has not ended."} Until one ends, a state change no event announced would go unseen: a full reload of the server reads every account again.`,
  };
}

export interface FollowSnapshotParameters {
  deployment: Deployment;
  /** Verify the followed accounts against a full read at least every this many blocks (default 1,000). */
  verifyEvery?: bigint;
  /** The eth_calls a verification keeps in flight (default 2). */
  verifyConcurrency?: number;
  /** The accounts a verification reads at one block (default VERIFY_ACCOUNTS_PER_PART). */
  verifyPart?: number;
}

/**
 * The accounts a verification reads an eth_call. Its answer arrives as strings (the body, the
 * JSON's result, its hex): ~0.9 KiB of hex an account at the bench's venue, so 100 accounts keep
 * each under V8's largest young object (128 KiB), garbage a scavenge frees. At 1,000 an eth_call
 * each was ~0.9 MB, allocated in the old generation (large objects): a verification of 1,000,000
 * accounts left GBs of it there, and V8 marked the block worker's whole heap (~1 GB of the venue)
 * again and again, on both cores, through the blocks followed meanwhile.
 */
const VERIFY_ACCOUNTS_PER_CALL = 100;

/**
 * The accounts a verification reads at one block, its next part at the newest block followed then:
 * 50 eth_calls, well within the blocks whose states a pruned node keeps (at 1,000,000 accounts on
 * the venue bench's anvil, ~2 s of reads where a block takes tens of seconds to mine).
 */
export const VERIFY_ACCOUNTS_PER_PART = 5_000;

const headerOf = (s: ProtocolSnapshot): BlockHeader => ({ number: s.blockNumber, hash: s.blockHash, timestamp: s.timestamp });

const sameAccount = (a: Account, b: Account) =>
  a.address === b.address &&
  a.cashUsd === b.cashUsd &&
  a.balancesNative.length === b.balancesNative.length &&
  a.balancesNative.every((x, i) => x === b.balancesNative[i]) &&
  a.positions.length === b.positions.length &&
  a.positions.every((p, i) => {
    const q = b.positions[i]!;
    return p.marketId === q.marketId && p.sizeBase === q.sizeBase && p.openNotionalUsd === q.openNotionalUsd;
  });

/** A follower of `deployment` through `client`: reads asked for at once are done one after another, each from the last. */
export function followSnapshot(client: PublicClient, { deployment, verifyEvery = 1000n, verifyConcurrency = 2, verifyPart = VERIFY_ACCOUNTS_PER_PART }: FollowSnapshotParameters): SnapshotFollower {
  let current: ProtocolSnapshot | undefined;
  /** The block whose accounts were last read or verified in full. */
  let verifiedAt = 0n;
  /** Set by a verification that found a drift: the next read is a full one. */
  let drifted = false;
  /** After a verification that could not read its block (a node keeping few past states, say), none begins before this block. */
  let retryAt = 0n;
  // Where each account sits in the registry (append-only: rows never move).
  let rows = new Map<string, number>();
  let queue: Promise<unknown> = Promise.resolve();
  /** Settles when the verification may read again (hold). */
  let held: Promise<unknown> = Promise.resolve();
  const follower: { -readonly [K in keyof SnapshotFollower]: SnapshotFollower[K] } = {
    last: undefined,
    verifyEvery,
    get checkedAt() {
      return current ? verifiedAt : undefined;
    },
    read(block) {
      const read = queue.then(() => readAfter(block));
      queue = read.catch(() => undefined);
      return read;
    },
    hold(until) {
      held = Promise.all([held, until.catch(() => undefined)]).then(() => undefined);
    },
  };

  async function readAfter(block: FollowedBlock): Promise<ProtocolSnapshot> {
    if (current && block.hash === current.blockHash) return current;
    const started = performance.now();
    // The venue is read beside the logs, not after them (dropped when the state is read in full).
    const venueRead = current && !drifted ? readVenue(client, deployment, block) : undefined;
    venueRead?.catch(() => undefined);
    const logs = current && venueRead ? await logsSince(current, block) : undefined;
    const followed = current && logs && (await venueRead!);
    const nodeMs = performance.now() - started;
    let why = !current ? "the first block" : drifted ? "a verification found accounts that differ from the chain" : !logs ? `the block is not on the last one's chain within ${MAX_GAP} blocks (a reorg, or a gap)` : "a collateral was listed";
    if (current && logs && followed && followed.venue.collaterals.length === current.collaterals.length) {
      // `rows` grows with the registrations applied; a full read below makes it again if they do not fit.
      const accounts = current.accounts.slice();
      const changed = applyAccountLogs(accounts, rows, logs, { marketCount: followed.venue.markets.length, collateralCount: followed.venue.collaterals.length });
      if (changed && accounts.length === followed.accountCount) {
        follower.last = { kind: "incremental", accountsChanged: changed.length, blocks: Number(block.number - current.blockNumber), nodeMs };
        // The block's followers (columns, views, system risk) take these rows instead of diffing a million objects each block.
        rememberRowsChanged(accounts, current.accounts, changed);
        current = { ...followed.venue, accounts };
        if (!follower.verifying && block.number - verifiedAt >= verifyEvery && block.number >= retryAt) follower.verifying = verify(current);
        return current;
      }
      why = changed ? `its logs leave ${accounts.length} accounts where the venue counts ${followed.accountCount}` : "its logs do not fit the accounts kept (an event not known, an account never registered)";
    }
    current = await readSnapshot(client, { deployment, block });
    verifiedAt = block.number;
    drifted = false;
    rows = new Map(current.accounts.map((a, row) => [a.address, row]));
    follower.last = { kind: "full", why };
    return current;
  }

  /**
   * Compares the followed accounts with the chain's from `followed`'s block on, in the background,
   * part by part, each part at the newest block followed when it begins (the first at `followed`'s);
   * a drift makes the next read a full one. A part whose read fails is read again at the newest
   * block if one came since (its own block may be past the states the node keeps); failing there
   * too, the verification is tried again a tenth of `verifyEvery` later.
   */
  async function verify(followed: ProtocolSnapshot): Promise<void> {
    try {
      const { accountCount } = await readVenue(client, deployment, headerOf(followed));
      let count = Math.abs(followed.accounts.length - accountCount);
      const rowsCompared = Math.min(accountCount, followed.accounts.length);
      let at = followed;
      // A drift found ends it: the next read is a full one anyway.
      for (let from = 0; from < rowsCompared && count === 0; from += verifyPart) {
        if (from > 0) at = current!;
        const to = Math.min(from + verifyPart, rowsCompared);
        count += await differencesAt(at, from, to).catch((error: unknown) => {
          if (current === at) throw error;
          at = current!;
          return differencesAt(at, from, to);
        });
      }
      follower.verified = { blockNumber: at.blockNumber, drifted: count };
      follower.verifyFailure = undefined;
      // A reorg of a block under the read shows as a drift too: the full read it brings is what a reorg needs.
      if (count > 0 && verifiedAt < at.blockNumber) {
        console.error(`followSnapshot: ${count} accounts followed to block ${at.blockNumber} differ from the chain's; reading the whole state again`);
        drifted = true;
      } else if (followed.blockNumber > verifiedAt) verifiedAt = followed.blockNumber;
    } catch (error) {
      const wait = verifyEvery / 10n + 1n;
      retryAt = followed.blockNumber + wait;
      follower.verifyFailure = shortMessageOf(error).split("\n")[0]!;
      console.error(`followSnapshot: the accounts from block ${followed.blockNumber} could not be verified (${follower.verifyFailure}); trying again in ${wait} blocks`);
    } finally {
      follower.verifying = undefined;
    }
  }

  /**
   * How many of rows `from` … `to` − 1 of `at`'s followed accounts differ from the chain's at its
   * block, each eth_call's accounts compared as they come and let go (eachAccountCall). Rows a
   * snapshot after a reorg no longer holds are not compared.
   */
  async function differencesAt(at: ProtocolSnapshot, from: number, to: number): Promise<number> {
    const block = headerOf(at);
    const differing: number[] = [];
    const compare = (first: number, accounts: Account[]) => accounts.forEach((account, k) => sameAccount(at.accounts[first + k]!, account) || differing.push(first + k));
    await eachAccountCall(client, deployment, block, from, Math.min(to, at.accounts.length), compare, { pageSize: VERIFY_ACCOUNTS_PER_CALL, pagesPerCall: 1, concurrency: verifyConcurrency, beforeEachCall: () => held });
    // Those accounts read again: a node may answer a call at its head with the state of a block
    // mined meanwhile (anvil does), which the second read, made later, does not see.
    const again = differing.length > 0 ? await readAccountRows(client, deployment, block, differing) : [];
    return again.filter((account, i) => !sameAccount(at.accounts[differing[i]!]!, account)).length;
  }

  /**
   * The clearinghouse's logs after `from` up to `block`, or undefined when they cannot be trusted
   * to be on `from`'s chain. As the node sends them (eth_getLogs): viem's getLogs formats each log
   * into a new object, ~65 ms of a block of 5,000 trades (~25,000 logs), for the topics and data
   * applyAccountLogs reads as they are.
   */
  async function logsSince(from: ProtocolSnapshot, block: FollowedBlock): Promise<RpcLog[] | undefined> {
    const address = deployment.contracts.clearinghouse;
    if (block.parentHash === from.blockHash) return client.request({ method: "eth_getLogs", params: [{ address, blockHash: block.hash }] });
    if (block.number <= from.blockNumber || block.number - from.blockNumber > MAX_GAP) return undefined;
    const ancestor = await client.getBlock({ blockNumber: from.blockNumber });
    if (ancestor.hash !== from.blockHash) return undefined;
    const logs = await client.request({ method: "eth_getLogs", params: [{ address, fromBlock: numberToHex(from.blockNumber + 1n), toBlock: numberToHex(block.number) }] });
    // The range was read by number: its last block must be the one asked for (no reorg in between).
    return logs.every((log) => log.blockNumber === null || hexToBigInt(log.blockNumber) !== block.number || log.blockHash === block.hash) ? logs : undefined;
  }

  return follower;
}
