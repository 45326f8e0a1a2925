import type { Metadata } from "next";

export const metadata: Metadata = { title: "Glossary" };

/**
 * Every figure Backstop shows, with the formula the engine uses (docs/PROTOCOL.md is the
 * contract-level reference). Pages link here by anchor.
 */
const terms: { id: string; term: string; formula?: string; text: string }[] = [
  { id: "collateral-value", term: "Collateral value", formula: "Σ balance × price × weight", text: "What an account's deposits count for. Each asset's weight (haircut) is governed: USDC counts in full, WETH at a discount for its volatility. Rounded down per asset." },
  { id: "upnl", term: "Unrealised PnL", formula: "size × mark − open notional", text: "Profit or loss of a position at the oracle (mark) price. Open notional is what the position cost; shorts have negative size and negative open notional." },
  { id: "equity", term: "Equity", formula: "collateral value + cash + Σ unrealised PnL", text: "What the account would hold if every position closed at mark. Cash holds realised PnL, penalties and ADL haircuts." },
  { id: "notional", term: "Notional", formula: "|size| × mark", text: "The dollar size of a position at the mark price." },
  { id: "maintenance-margin", term: "Maintenance margin (MM)", formula: "Σ notional × MMR (rounded up)", text: "The equity an account must keep. Below it, anyone may liquidate the account." },
  { id: "initial-margin", term: "Initial margin (IM)", formula: "Σ notional × IMR (rounded up)", text: "The equity needed to open or increase a position, or to withdraw. IMR is always above MMR." },
  { id: "health", term: "Health", formula: "equity ÷ maintenance margin", text: "Below 1 the account is liquidatable; exactly 1 is still safe. Accounts without positions have no health ratio." },
  { id: "leverage", term: "Leverage", formula: "Σ notional ÷ equity", text: "How many dollars of exposure each dollar of equity carries." },
  { id: "liquidation-price", term: "Liquidation price", formula: "P such that equity(P) = MM(P), every other price fixed", text: "For one position: the mark at which the account would become liquidatable if nothing else moved. Distance to liquidation is (liquidation price − mark) ÷ mark. Collateral is held at its current price, so an account holding WETH against an ETH long is more exposed than its ETH liquidation price alone suggests." },
  { id: "bankruptcy-price", term: "Bankruptcy price", formula: "P such that equity(P) = 0", text: "Past this price the account's loss exceeds its equity: the rest is a deficit for the loss waterfall." },
  { id: "penalty", term: "Liquidation penalty", formula: "min(Σ notional × penalty ratio, equity)", text: "Charged to a liquidated account; the keeper gets its governed share, the insurance fund the rest." },
  { id: "insurance-fund", term: "Insurance fund", text: "First reserve to absorb a bankrupt account's deficit. Fed by the protocol's share of penalties and by donations; governance can move it." },
  { id: "default-fund", term: "Default fund", text: "Mutualised capital staked by members, second in the waterfall. Withdrawals wait out a governed cooldown, so members cannot run first in a crisis; shares in cooldown still absorb losses." },
  { id: "waterfall", term: "Loss waterfall", formula: "deficit = insurance draw + default-fund draw + ADL absorbed + bad debt", text: "Order in which a bankrupt account's deficit is covered: its own collateral (seized), the insurance fund, the default fund, then auto-deleveraging. What nothing covers is bad debt. The layers always add up to the deficit, to the wei." },
  { id: "adl", term: "Auto-deleveraging (ADL)", text: "When both funds are exhausted, profitable positions on the other side absorb the rest. Queue mode (the venues' practice) closes the uncovered share of the bankrupt position against the highest-ranked counterparties at the bankruptcy price; pro-rata mode charges every profitable counterparty in proportion to its profit and closes nothing." },
  { id: "adl-rank", term: "ADL rank and lights", formula: "PnL% × effective leverage (in profit), PnL% ÷ effective leverage (in loss)", text: "BitMEX's ranking: the most profitable, most leveraged positions are deleveraged first. Traders see it as five lights; five lit means first in line." },
  { id: "open-interest", term: "Open interest (OI)", formula: "total long size × mark", text: "Equal to the short side. New exposure may not take it past the governed OI cap." },
  { id: "concentration", term: "Concentration limit", formula: "concentration cap × OI cap", text: "The largest position one account may hold in a market. It can be exceeded by price moves, never by opening more." },
  { id: "frozen", term: "Frozen market", text: "Reduce-only: no new or larger exposure. Closing, withdrawals and liquidations still work." },
  { id: "paused", term: "Paused market", text: "Nothing moves, liquidations included. After an unpause, liquidations resume only after the governed grace period, so accounts can restore margin first." },
  { id: "oracle-age", term: "Oracle age", text: "Time since the last price update. Above the market's maximum age, trades, withdrawals and liquidations that use the price are refused." },
  { id: "tvl", term: "TVL", formula: "Σ deposits × price", text: "Collateral held, before haircuts." },
  { id: "unrecognised-deficit", term: "Unrecognised deficit", formula: "Σ −equity over accounts with negative equity", text: "Losses no reserve has absorbed yet because the accounts have not been liquidated. Whoever withdraws first escapes them; per unit of collateral it measures bank-run exposure." },
  { id: "stress", term: "A crash, two ways", formula: "instant gap: Σ negative equity after every mark jumps to the trough; path: the liquidation cascade", text: "The overview's crash alerts and the reserves' runway use the instant gap: every mark jumps at once to the crash's trough, no keeper acts, and the loss beyond collateral is what the reserves must absorb — the upper bound when liquidations cannot keep up. The stress page also runs the path: the move in steps, keepers liquidating after each (when the reward beats the gas), their forced selling moving prices through a square-root market-impact model, repeated to a fixed point. Keepers closing accounts early make the path lose less than the gap; market impact can make it lose more." },
  { id: "band", term: "Preview band", formula: "newly(P) = liquidatable at P under the proposal and not under today's parameters", text: "A proposal executes after its voting delay, voting period and timelock delay; prices move meanwhile. Beside the count at today's prices, the proposal page simulates 400 terminal price paths over the time left to execution — each market a driftless geometric random walk with the volatility per √second and the correlations measured from the oracle's own posts on chain (the last 5,000 blocks; 80 %/√year where there are fewer than 8 posts) — and shows the mean and the 5–95 % range of the count. The sensitivity strip moves one market at a time from −10 % to +10 % and shows, at each point, the count and the liquidation cost: the penalties those accounts would pay plus any loss beyond their collateral drawn from the reserves; a cliff is a 1 % step that multiplies the count by more than 3 (and changes it by 5 or more). Counts are exact: the engine's screen with a bigint re-check." },
  { id: "cover-2", term: "Cover-1 and Cover-2", text: "The loss to the reserves from the default of the one (two) accounts that would lose most under an extreme but plausible move, against the default fund: the standard clearinghouses are held to." },
];

export default function GlossaryPage() {
  return (
    <div className="space-y-4">
      <h1 className="text-lg font-semibold text-neutral-50">Glossary</h1>
      <p className="max-w-3xl text-sm text-neutral-400">Every figure on these screens and how it is computed. The engine computes them from one snapshot of the chain with the contract&apos;s own rounding; docs/PROTOCOL.md in the repository has the exact integer formulas.</p>
      <dl className="max-w-3xl space-y-4">
        {terms.map((t) => (
          <div key={t.id} id={t.id} className="scroll-mt-20 rounded-lg border border-neutral-800 p-4 target:border-emerald-600">
            <dt className="font-medium text-neutral-100">
              <a href={`#${t.id}`} className="hover:underline">{t.term}</a>
            </dt>
            {t.formula ? <dd className="mt-1 font-mono text-sm text-emerald-300">{t.formula}</dd> : null}
            <dd className="mt-1 text-sm text-neutral-300">{t.text}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
