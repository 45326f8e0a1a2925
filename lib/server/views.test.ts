import { describe, expect, it } from "vitest";
import { rememberRowsChanged, computeAccountRisk, computeAdlLights, computeHealth, liquidationDistances, signedValue } from "../../engine/index.ts";
import { syntheticSnapshot } from "../../engine/testing/syntheticVenue.ts";
import { accountsQuery, ACCOUNT_PAGE_MAX } from "../api/accountsQuery.ts";
import { accountsWire } from "../api/wire.ts";
import type { Account, ProtocolSnapshot } from "../../engine/types.ts";
import { accountTableContents } from "./accountTable.ts";
import { followBlockViews, settleWhenIdle } from "./followBlockViews.ts";
import { collectNow } from "./sharedMemoryCollector.ts";
import { accountPage, accountRows, browserVenueMax, BROWSER_VENUE_MAX, computeBlockViews, engineSideOf } from "./views.ts";

const snapshot = syntheticSnapshot(600, { seed: 7 });
const toTenThousandths = (x: number | null) => (x === null ? null : Math.round(x * 1e4) / 1e4);
const read = { snapshot, views: computeBlockViews(snapshot) };
const page = (params: Record<string, string>, stale?: Parameters<typeof accountPage>[1]) =>
  accountsWire.parse(JSON.parse(new TextDecoder().decode(accountPage(read, stale, accountsQuery.parse(params)).identity)));

/** Independently of the server's code: each account's health from the engine to 0.0001 (as the table shows it), nearest first, ties by address. */
const byHealth = snapshot.accounts
  .filter((a) => a.positions.length > 0)
  .map((a) => ({ address: a.address, health: toTenThousandths(computeHealth(snapshot, a).health), liquidatable: computeHealth(snapshot, a).liquidatable }))
  .sort((x, y) => (x.health ?? Infinity) - (y.health ?? Infinity) || (x.address < y.address ? -1 : 1));

describe("GET /api/accounts's pages (accountPage), on a synthetic venue of 600 accounts", () => {
  it("walks the accounts with positions in the engine's health order, page after page, each once", () => {
    const seen: string[] = [];
    for (let offset = 0; ; offset += 70) {
      const body = page({ offset: String(offset), limit: "70" });
      expect(body.total).toBe(snapshot.accounts.length);
      expect(body.matched).toBe(byHealth.length);
      expect(body.blockHash).toBe(snapshot.blockHash);
      if (body.rows.length === 0) break;
      seen.push(...body.rows.map((r) => r.address));
    }
    expect(seen).toEqual(byHealth.map((a) => a.address));
  });

  it("keeps only the liquidatable ones when asked, and sorts descending with unknown values last", () => {
    const liquidatable = page({ show: "liquidatable", limit: String(ACCOUNT_PAGE_MAX) });
    expect(liquidatable.rows.map((r) => r.address)).toEqual(byHealth.filter((a) => a.liquidatable).map((a) => a.address));
    // Two of the venue's accounts have no liquidation price: they come last, after the farthest.
    const all = page({ show: "all", sort: "distanceToLiquidation", dir: "desc", limit: String(ACCOUNT_PAGE_MAX), offset: "500" });
    expect(all.matched).toBe(snapshot.accounts.length);
    const distances = all.rows.map((r) => r.distanceToLiquidation);
    expect(distances.slice(-2)).toEqual([null, null]);
    const known = distances.slice(0, -2).map((d) => Math.abs(d!));
    expect(known.length).toBe(98);
    expect(known).toEqual([...known].sort((a, b) => b - a));
  });

  it("searches from an address's start with 0x, anywhere without it", () => {
    const target = byHealth[17]!.address;
    expect(page({ q: target.slice(0, 9).toUpperCase().replace("0X", "0x") }).rows.map((r) => r.address)).toContain(target);
    const inside = target.slice(12, 20);
    const found = page({ q: inside, show: "all", limit: String(ACCOUNT_PAGE_MAX) });
    expect(found.rows.map((r) => r.address)).toContain(target);
    expect(found.rows.every((r) => r.address.includes(inside))).toBe(true);
    expect(page({ q: `0x${inside}` }).rows.every((r) => r.address.startsWith(`0x${inside}`))).toBe(true);
  });

  it("carries a stale mark, and a full page stays within 50 kB", () => {
    const stale = { reason: "the chain cannot be reached", sinceMs: 1_700_000_000_000, forSeconds: 12 };
    expect(page({}, stale).stale).toEqual(stale);
    expect(page({}).stale).toBeNull();
    const full = accountPage(read, undefined, accountsQuery.parse({ show: "all", limit: String(ACCOUNT_PAGE_MAX) }));
    expect(full.identity.byteLength).toBeLessThanOrEqual(50_000);
  });
});

describe("every account's row (accountRows), on the same venue", () => {
  it("carries the brightest ADL light of the account's positions (0 when none is lit, null without positions) and its nearest liquidation distance", () => {
    const risks = snapshot.accounts.map((a) => computeAccountRisk(snapshot, a));
    const lights = computeAdlLights(snapshot, (row) => risks[row]!);
    const rows = accountRows(snapshot, risks, lights);
    snapshot.accounts.forEach((account, i) => {
      const own = account.positions.map((p) => lights.get(`${account.address}:${p.marketId}`)?.light ?? 0);
      expect(rows[i]!.adlLight).toBe(own.length ? Math.max(...own) : null);
      const distances = liquidationDistances(snapshot, account, risks[i]!).filter((d) => d !== null);
      const nearest = distances.length ? distances.reduce((a, b) => (Math.abs(b) < Math.abs(a) ? b : a)) : null;
      expect(rows[i]!.distanceToLiquidation).toBe(nearest === null ? null : Math.round(nearest * 1e6) / 1e6);
    });
    expect(new Set(rows.map((r) => r.adlLight)).size).toBeGreaterThan(3);
  });
});

describe("each block's views followed from the last block's (followBlockViews)", () => {
  /** A sequence of blocks on one venue: trades, nothing, price and parameter moves, new accounts, a full read. */
  function blocks(): ProtocolSnapshot[] {
    const first = syntheticSnapshot(400, { seed: 11 });
    const out: ProtocolSnapshot[] = [first];
    const next = (change: (s: ProtocolSnapshot) => Partial<ProtocolSnapshot>) => {
      const last = out.at(-1)!;
      out.push({ ...last, blockNumber: last.blockNumber + 1n, blockHash: `0x${(out.length + 0xa0).toString(16)}`, accounts: last.accounts.slice(), ...change(last) });
    };
    const edit = (rows: number[], change: (a: Account, k: number) => Account) => (s: ProtocolSnapshot) => {
      const accounts = s.accounts.slice();
      rows.forEach((row, k) => (accounts[row] = change(accounts[row]!, k)));
      return { accounts };
    };
    // 150 accounts' positions opened at the mark (uPnL 0: their ADL scores exactly 0, tied, the address deciding), then five of them trade at it again.
    const atMark = (s: ProtocolSnapshot, a: Account, grow: bigint) => ({ ...a, positions: a.positions.map((p) => ({ ...p, sizeBase: p.sizeBase * grow, openNotionalUsd: signedValue(p.sizeBase * grow, s.markets[p.marketId]!.markPriceWad) })) });
    next((s) => edit(Array.from({ length: 150 }, (_, k) => 2 * k + 1), (a) => atMark(s, a, 1n))(s));
    next((s) => edit([1, 27, 101, 197, 291], (a) => atMark(s, a, 2n))(s));
    // A few accounts trade: cash moves, a position grows, one is closed, one is flipped to the other side (its ADL line changes).
    next(edit([3, 40, 41, 250, 399], (a, k) => ({ ...a, cashUsd: a.cashUsd + BigInt(k - 2) * 10n ** 20n, positions: k === 1 ? [] : k === 2 ? a.positions.map((p) => ({ ...p, sizeBase: -p.sizeBase, openNotionalUsd: -p.openNotionalUsd })) : a.positions })));
    // One account becomes by far the most profitable in its lines (every light behind it may move a place) and another liquidatable.
    next(edit([7, 8], (a, k) => ({ ...a, cashUsd: k ? -(10n ** 24n) : a.cashUsd, positions: k ? a.positions : a.positions.map((p) => ({ ...p, openNotionalUsd: p.openNotionalUsd / 2n })) })));
    next(() => ({}));
    // Every mark moves, then one collateral's price, then a market's maintenance margin.
    next((s) => ({ markets: s.markets.map((m, i) => ({ ...m, markPriceWad: (m.markPriceWad * BigInt(97 + 2 * i)) / 100n })) }));
    next((s) => ({ collaterals: s.collaterals.map((c, i) => (i === 1 ? { ...c, priceWad: (c.priceWad * 11n) / 10n } : c)) }));
    next((s) => ({ markets: s.markets.map((m, i) => (i === 2 ? { ...m, params: { ...m.params, mmrWad: (m.params.mmrWad * 3n) / 2n } } : m)) }));
    // Prices move while two accounts trade: one closes every position, the other (closed above) opens some (their markets change, the others' stay).
    next((s) => ({ markets: s.markets.map((m, i) => ({ ...m, markPriceWad: (m.markPriceWad * BigInt(101 - i)) / 100n })), ...edit([12, 40], (a, k) => ({ ...a, positions: k ? s.accounts[13]!.positions : [] }))(s) }));
    // New accounts register while others trade.
    next((s) => ({ accounts: [...edit([5, 6], (a) => ({ ...a, cashUsd: a.cashUsd / 2n }))(s).accounts, ...syntheticSnapshot(430, { seed: 12 }).accounts.slice(400).map((a, i) => ({ ...a, address: `0xee${i.toString(16).padStart(38, "0")}` as const }))] }));
    // Forty accounts come to hold what one other holds (their float scores alike, not exact: the ADL order by address; their addresses
    // in the reverse of their rows' order, so that an order by row is not it), then every mark moves.
    const holder = (s: ProtocolSnapshot) => s.accounts.find((a, row) => row >= 20 && a.positions.length > 1 && a.positions.every((p) => p.openNotionalUsd !== signedValue(p.sizeBase, s.markets[p.marketId]!.markPriceWad)))!;
    const alike = Array.from({ length: 40 }, (_, k) => 200 + 3 * k);
    next((s) => edit(alike, (_, k) => ({ ...holder(s), address: s.accounts[alike[39 - k]!]!.address }))(s));
    next((s) => ({ markets: s.markets.map((m, i) => ({ ...m, markPriceWad: (m.markPriceWad * BigInt(99 + i)) / 100n })) }));
    // Many accounts at once (past the share where every account is valued again), then a full read: every object new, the same values.
    next(edit(Array.from({ length: 150 }, (_, k) => 2 * k), (a) => ({ ...a, cashUsd: a.cashUsd + 10n ** 18n })));
    next((s) => ({ accounts: s.accounts.map((a) => ({ ...a })) }));
    // Trades: the last block's lines (their runs settled first) merged with the changed places. The positions first in one line (lit 5)
    // closed: the places behind them move up, across a light's border.
    next((s) => {
      const first = [...computeAdlLights(s).values()].filter((l) => l.marketId === 0 && l.side === "long" && l.light === 5);
      return edit(first.map((l) => s.accounts.findIndex((a) => a.address === l.address)), (a) => ({ ...a, positions: [] }))(s);
    });
    next(edit([100], (a) => ({ ...a, positions: [] })));
    return out;
  }

  it.each([
    { name: "their rows screened on this thread, the runs left in float order settled by the next block's merge", splitFrom: undefined, settledBetween: 0 },
    { name: "their rows screened in two jobs, one for the helper thread, from 100 rows; the runs settled between blocks", splitFrom: 100, settledBetween: Infinity },
    { name: "one run settled between blocks (a step of settleWhenIdle's), the rest by the next block's merge", splitFrom: undefined, settledBetween: 1 },
  ])("are, block after block, the views computed from scratch: $name", ({ splitFrom, settledBetween }) => {
    const follow = followBlockViews({ splitFrom });
    let unsettled = 0;
    for (const s of blocks()) {
      const followed = follow(s);
      const fresh = computeBlockViews(s);
      const { adlLights, accountTable, ...rest } = followed;
      const { adlLights: freshLights, accountTable: freshTable, ...freshRest } = fresh;
      expect(rest).toEqual(freshRest);
      expect(accountTableContents(accountTable)).toEqual(accountTableContents(freshTable));
      expect([...adlLights]).toEqual([...freshLights]);
      unsettled = Math.max(unsettled, follow.settle(0));
      follow.settle(settledBetween);
    }
    // Some block left more than one run in float order (a run within one light), for the blocks after it to settle.
    expect(unsettled).toBeGreaterThan(1);
  });

  it("has what a block left settled while idle a step at a time, each step on its own turn of the event loop (settleWhenIdle)", async () => {
    const follow = followBlockViews();
    for (const s of blocks()) if ((follow(s), follow.settle(0)) > 1) break;
    const left = follow.settle(0);
    expect(left).toBeGreaterThan(1);
    const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
    settleWhenIdle(follow, 1);
    await turn();
    expect(follow.settle(0), "one run settled on the first turn, the others left for later turns").toBe(left - 1);
    for (let k = 1; k < left; k++) await turn();
    expect(follow.settle(0)).toBe(0);
  });

  it("let go of past blocks: of a chain of blocks of trades, their changed rows remembered as followSnapshot does, the accounts of all but the last two are collected", async () => {
    const follow = followBlockViews();
    let s = syntheticSnapshot(400, { seed: 11 });
    follow(s);
    const past: WeakRef<readonly Account[]>[] = [];
    for (let block = 0; block < 6; block++) {
      const accounts = s.accounts.slice();
      const rows = [block, 100 + block, 200 + block];
      for (const row of rows) accounts[row] = { ...accounts[row]!, cashUsd: accounts[row]!.cashUsd + 10n ** 18n };
      rememberRowsChanged(accounts, s.accounts, rows);
      s = { ...s, blockNumber: s.blockNumber + 1n, accounts };
      follow(s);
      past.push(new WeakRef(accounts));
    }
    // Nothing here holds a past block (s is the last); no deref until after the collections (a target deref'd is held to the end of its job).
    for (let k = 0; k < 2; k++) {
      await new Promise((resolve) => setImmediate(resolve));
      expect(collectNow(), "V8's collector exposed").toBe(true);
    }
    expect(past.slice(0, -2).map((ref) => ref.deref() === undefined)).toEqual([true, true, true, true]);
    expect(past.at(-1)!.deref()).toBe(s.accounts);
  });

  it("are the views computed from scratch after a block that failed part way, not from figures it wrote before failing", () => {
    const first = syntheticSnapshot(400, { seed: 11 });
    const follow = followBlockViews();
    follow(first);
    // Two accounts trade; the second holds a negative balance, which the engine refuses as the contract does — after the first is valued.
    const accounts = first.accounts.slice();
    const trader = accounts.findIndex((a) => a.positions.length > 0);
    accounts[trader] = { ...accounts[trader]!, cashUsd: accounts[trader]!.cashUsd / 3n };
    accounts[trader + 1] = { ...accounts[trader + 1]!, balancesNative: accounts[trader + 1]!.balancesNative.map(() => -1n) };
    expect(() => follow({ ...first, blockNumber: first.blockNumber + 1n, accounts })).toThrow("operands must be non-negative");
    // The next block as the chain has it: the trader's account as in the first block, new accounts registered (every row of the table written).
    const registered = syntheticSnapshot(430, { seed: 12 }).accounts.slice(400).map((a, i) => ({ ...a, address: `0xee${i.toString(16).padStart(38, "0")}` as const }));
    const next = { ...first, blockNumber: first.blockNumber + 1n, accounts: [...first.accounts, ...registered] };
    const { adlLights, accountTable, ...followed } = follow(next);
    const { adlLights: freshLights, accountTable: freshTable, ...fresh } = computeBlockViews(next);
    expect(followed).toEqual(fresh);
    expect(accountTableContents(accountTable)).toEqual(accountTableContents(freshTable));
    expect([...adlLights]).toEqual([...freshLights]);
  });
});

describe("browserVenueMax / engineSideOf", () => {
  it.each([
    ["unset: the default", undefined, BROWSER_VENUE_MAX],
    ["blank: the default", " ", BROWSER_VENUE_MAX],
    ["a whole number", "100", 100],
    ["0: nothing goes to the browser", "0", 0],
  ])("%s", (_, raw, expected) => {
    expect(browserVenueMax({ BACKSTOP_BROWSER_VENUE_MAX: raw })).toBe(expected);
  });

  it.each(["-1", "1.5", "many"])("refuses %j in words", (raw) => {
    expect(() => browserVenueMax({ BACKSTOP_BROWSER_VENUE_MAX: raw })).toThrow(`BACKSTOP_BROWSER_VENUE_MAX must be a whole number of accounts, 0 or more (it is "${raw}")`);
  });

  it("sends a venue at the limit to the browser and one account more to the server", () => {
    const env = { BACKSTOP_BROWSER_VENUE_MAX: "600" };
    expect([engineSideOf(600, env), engineSideOf(601, env)]).toEqual(["browser", "server"]);
  });
});
