/**
 * followBlockViews: each block's views (lib/server/views' BlockViews) from the last block's,
 * recomputing only what the block touched — the same views computeBlockViews computes from
 * scratch, value for value and byte for byte.
 *
 * What an account's row, its exact risk and its positions' places in the ADL lines depend on:
 * the account object (followSnapshot never changes one in place: a new object is a changed
 * account) and the venue's pricing — every market's mark, symbol and parameters, every
 * collateral's price, decimals and parameters. While the pricing stays the same, a block's work
 * is its changed (and new) accounts: their risk in bigint, their positions taken out of their ADL
 * lines and merged back at their new places, the rows whose brightest light moved with them
 * rewritten, and the accounts table updated rather than rebuilt (lib/server/accountTable). When
 * the pricing moves, every account is valued again. Either way the venue-wide figures come from
 * the columnar path, its columns followed from the last block's (engine columnarOf): system risk
 * through the float screen, Cover-N through the screen with bigint for the few candidates.
 *
 * The ADL lights by position are not computed here (the worker does not send them): a reader of
 * `adlLights` gets them computed then, from the block's exact risks.
 *
 * Example: 100,000 accounts, 1,000 of them trading in a block, prices unchanged: 1,000 bigint
 * valuations, six ADL lines merged, ~1,000 rows written into the last table's JSON, five orders
 * merged, one screen pass over the columns.
 */

import {
  adlEntriesOf,
  adlLightAt,
  adlLineOf,
  columnarOf,
  compareAdlLine,
  computeAccountRisk,
  computeAdlLights,
  computeCover,
  computeSystemRisk,
  extremeShock,
  type AccountRisk,
  type AdlEntry,
  type ProtocolSnapshot,
} from "../../engine/index.ts";
import type { AccountRow } from "../api/wire.ts";
import { createAccountTableBuilder } from "./accountTable.ts";
import { historyPointOf } from "./history.ts";
import { withLazyProperty } from "./lazyTransfer.ts";
import { accountRowOf, type BlockViews } from "./views.ts";

/** The views of each snapshot given, from the last one's. */
export type BlockViewsFollower = (snapshot: ProtocolSnapshot) => BlockViews;

/** Above this share of the accounts changed, every account is valued again (as when prices move). */
const REVALUE_SHARE = 1 / 4;

/** What a follower keeps of the last block. */
interface LastBlock {
  snapshot: ProtocolSnapshot;
  pricing: string;
  risks: AccountRisk[];
  rows: AccountRow[];
  /** Every ADL line (`${marketId}:${side}`), in ADL order. */
  lines: Map<string, AdlEntry[]>;
  brightest: Uint8Array;
}

/**
 * Everything of the venue an account's risk and row read: the markets' ids, symbols, marks and
 * parameters, the collaterals' ids, decimals, prices and parameters. Equal strings: the same
 * valuation of every unchanged account.
 */
export function pricingOf(s: Pick<ProtocolSnapshot, "markets" | "collaterals">): string {
  const markets = s.markets.map((m) => [m.id, m.symbol, m.markPriceWad, ...Object.values(m.params)].join(","));
  const collaterals = s.collaterals.map((c) => [c.id, c.decimals, c.priceWad, ...Object.values(c.params)].join(","));
  return `${markets.join(";")}|${collaterals.join(";")}`;
}

/** Every ADL line of the snapshot, each sorted. */
function buildLines(s: ProtocolSnapshot, risks: readonly AccountRisk[], rows: Iterable<number>): Map<string, AdlEntry[]> {
  const lines = new Map<string, AdlEntry[]>();
  for (const row of rows) {
    const account = s.accounts[row]!;
    if (account.positions.length === 0) continue;
    for (const entry of adlEntriesOf(account, risks[row]!, row)) {
      const key = adlLineOf(entry);
      let line = lines.get(key);
      if (!line) lines.set(key, (line = []));
      line.push(entry);
    }
  }
  for (const line of lines.values()) line.sort(compareAdlLine);
  return lines;
}

/** The last lines without the changed rows' positions, their new positions merged in at their places. */
function updateLines(last: Map<string, AdlEntry[]>, s: ProtocolSnapshot, risks: readonly AccountRisk[], changed: readonly number[], isChanged: Uint8Array): Map<string, AdlEntry[]> {
  const fresh = buildLines(s, risks, changed);
  const lines = new Map<string, AdlEntry[]>();
  for (const key of new Set([...last.keys(), ...fresh.keys()])) {
    const kept = last.get(key) ?? [];
    const added = fresh.get(key) ?? [];
    const line: AdlEntry[] = [];
    let j = 0;
    for (const entry of kept) {
      if (isChanged[entry.row]) continue;
      while (j < added.length && compareAdlLine(added[j]!, entry) < 0) line.push(added[j++]!);
      line.push(entry);
    }
    while (j < added.length) line.push(added[j++]!);
    if (line.length) lines.set(key, line);
  }
  return lines;
}

/** A follower of block views: one per sequence of snapshots (the block worker keeps one). */
export function followBlockViews(): BlockViewsFollower {
  const accountTable = createAccountTableBuilder();
  let last: LastBlock | undefined;
  return (s) => {
    const n = s.accounts.length;
    const pricing = pricingOf(s);
    // The rows whose account is not the last block's object (new rows included), when the last block's valuations stand.
    let changed: number[] | undefined;
    if (last && last.pricing === pricing && last.snapshot.accounts.length <= n) {
      const before = last.snapshot.accounts;
      changed = [];
      for (let row = 0; row < n; row++) if (s.accounts[row] !== before[row]) changed.push(row);
      if (changed.length > n * REVALUE_SHARE) changed = undefined;
    }
    const isChanged = new Uint8Array(n);
    let risks: AccountRisk[];
    let lines: Map<string, AdlEntry[]>;
    if (changed && last) {
      risks = last.risks.slice();
      for (const row of changed) {
        isChanged[row] = 1;
        risks[row] = computeAccountRisk(s, s.accounts[row]!);
      }
      lines = updateLines(last.lines, s, risks, changed, isChanged);
    } else {
      risks = s.accounts.map((a) => computeAccountRisk(s, a));
      lines = buildLines(s, risks, s.accounts.keys());
    }
    const brightest = new Uint8Array(n);
    for (const line of lines.values()) {
      for (let index = 0; index < line.length; index++) {
        const light = adlLightAt(index, line.length);
        const row = line[index]!.row;
        if (light > brightest[row]!) brightest[row] = light;
      }
    }
    // Rows: the changed accounts' written anew, those whose brightest light alone moved copied with it.
    let rows: AccountRow[];
    let dirty: number[] | undefined;
    if (changed && last) {
      rows = last.rows.slice();
      dirty = [];
      for (let row = 0; row < n; row++) {
        if (isChanged[row]) rows[row] = accountRowOf(s, s.accounts[row]!, risks[row]!, brightest[row]!);
        else if (brightest[row] !== last.brightest[row]) rows[row] = { ...last.rows[row]!, adlLight: brightest[row]! };
        else continue;
        dirty.push(row);
      }
    } else rows = s.accounts.map((account, row) => accountRowOf(s, account, risks[row]!, brightest[row]!));
    // The columns follow the last block's (only changed rows rewritten); system risk and Cover read them.
    columnarOf(s, last?.snapshot);
    const shocks = extremeShock(s.markets);
    const systemRisk = computeSystemRisk(s, { nearest: 10 });
    const cover = computeCover(s, shocks.map((m) => m.move));
    let openPositions = 0;
    for (const account of s.accounts) openPositions += account.positions.length;
    const views = {
      systemRisk,
      cover,
      history: historyPointOf(s, systemRisk, cover, rows.map((r) => r.health)),
      accountTable: accountTable(rows, dirty),
      accountCount: n,
      openPositions,
      shocks,
    };
    last = { snapshot: s, pricing, risks, rows, lines, brightest };
    return withLazyProperty<BlockViews, "adlLights">(views, "adlLights", () => computeAdlLights(s, (row) => risks[row]!));
  };
}
