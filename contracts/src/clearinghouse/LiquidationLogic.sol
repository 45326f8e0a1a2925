// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IClearinghouse, AdlMode, MarketInfo} from "./IClearinghouse.sol";
import {AccountLogic, State, Account, Position, Prices, Risk, WAD} from "./AccountLogic.sol";

/// @title LiquidationLogic
/// @notice `liquidate(account)` with the full loss waterfall and auto-deleveraging, exactly as
///         docs/PROTOCOL.md ("Liquidation", "ADL") and engine/liquidation compute it. An external
///         library (called by DELEGATECALL on the clearinghouse's storage) to keep the
///         clearinghouse under the 24,576-byte contract size limit.
///
///         Walk-through of a $1M loss. An account with $200k of weighted collateral holds a long
///         whose mark-to-market loss is $1.2M: equity E = −$1M, so no penalty is charged and the
///         account is bankrupt with deficit D = $1M; its $200k of collateral is seized
///         (collateralLost). With $600k in the insurance fund and $300k in the default fund:
///         insuranceDraw = $600k, defaultFundDraw = $300k, and R = $100k is left for ADL: in queue
///         mode the uncovered share q = ceil(|size| · R / D) = 10 % of the position is closed
///         against the most profitable, most levered shorts, each giving up its share of the
///         $100k; in pro-rata mode every profitable short pays a share of the $100k proportional
///         to its profit and no position is closed. The keeper takes the other 90 % (queue) or
///         100 % (pro-rata) at mark. Ledger: 200k + 600k + 300k + 100k (+ 0 bad debt) = the $1.2M loss.
///
///         Rounding: every split rounds down and the last share takes the remainder, so the
///         layers always sum to the deficit to the wei. Worked to the wei:
///
///         Queue. A bankrupt long of 3 ETH at mark $2,000 with E = −$700 (D = 700e18); the
///         insurance fund holds $400 and the default fund nothing, so R = 300e18 and, with one
///         position, R_p = R. Quantity to close q = ceil(3e18 · 300e18 / 700e18) =
///         1_285714285714285715 (rounded up, so ADL never closes too little). Shorts in profit,
///         by rank: A holds 1 ETH, B holds 5 ETH. A fills 1e18, B fills 285714285714285715;
///         filled = q, so absorbed = floor(R_p · filled / q) = $300. Haircuts by fill:
///         h_A = floor(300e18 · 1e18 / q) = 233_333333333333333203, and B, the last filled, takes
///         the remainder 66_666666666666666797. The keeper takes 3e18 − q at mark. Ledger:
///         collateralLost + 400e18 + 0 + 300e18 + 0 bad debt = collateralLost + D.
///
///         Pro rata. R_p = $100 and three shorts in profit by $100 each (totalProfit $300):
///         absorbed = min($100, $300) = $100; each pays floor(100e18 · 100e18 / 300e18) =
///         33_333333333333333333 and the first in rank order also pays the 1-wei remainder.
///         No position is closed; the keeper takes the whole position at mark.
///
///         Several positions: R is spread by notional in ascending market id, R_p =
///         floor(R · notional_p / N), the last position takes R − Σ others; a position whose R_p
///         is 0 skips ADL (q_p = 0). Each R_p − absorbed_p that ADL cannot reach is bad debt.
library LiquidationLogic {
    using AccountLogic for State;

    struct Book {
        uint256[] ids;
        int256[] sizes;
        uint256[] prices;
        uint256[] notionals;
    }

    struct Counterparty {
        address account;
        uint256 size; // |size|
        uint256 profit; // uPnL > 0
        uint256 rank;
        bool used;
    }

    /// @notice Liquidates `account` for `keeper` (the caller). See the contract's NatSpec.
    function liquidate(State storage s, address account, address keeper) external {
        if (keeper == account) revert IClearinghouse.SelfLiquidation(account);
        Account storage a = s.accounts[account];
        _requireLiquidationsOpen(s, a.marketMask);
        Prices memory p = s.loadPrices();
        Risk memory r = s.risk(p, account);
        if (a.marketMask == 0 || r.equity >= int256(r.maintenanceMargin)) {
            revert IClearinghouse.AccountHealthy(account, r.equity, r.maintenanceMargin);
        }
        Book memory book = _book(s, p, account);

        // Penalty, capped at what equity is left; the keeper's share pro rata.
        uint256 rawPenalty;
        uint256 rawKeeper;
        for (uint256 i; i < book.ids.length; ++i) {
            uint256 penalty = Math.mulDiv(book.notionals[i], s.markets[book.ids[i]].params.liquidationPenalty, WAD);
            rawPenalty += penalty;
            rawKeeper += Math.mulDiv(penalty, s.markets[book.ids[i]].params.keeperShare, WAD);
        }
        uint256 charged = r.equity > 0 ? Math.min(rawPenalty, uint256(r.equity)) : 0;
        uint256 keeperReward = rawPenalty == 0 ? 0 : Math.mulDiv(rawKeeper, charged, rawPenalty);

        // Close every position at mark: the account's equity is now all cash and collateral.
        for (uint256 i; i < book.ids.length; ++i) {
            Position storage pos = a.positions[book.ids[i]];
            a.cash += AccountLogic.signedValue(pos.size, book.prices[i]) - pos.openNotional;
            s.removePosition(account, book.ids[i]);
            emit IClearinghouse.PositionLiquidated(account, book.ids[i], book.sizes[i], book.prices[i]);
        }
        a.cash -= int256(charged);
        emit IClearinghouse.CashUpdated(account, a.cash);
        s.register(keeper);
        s.accounts[keeper].cash += int256(keeperReward);
        emit IClearinghouse.CashUpdated(keeper, s.accounts[keeper].cash);
        s.insuranceFund += charged - keeperReward;
        emit IClearinghouse.Liquidated(account, keeper, r.equity, charged, keeperReward, charged - keeperReward);

        uint256[] memory adlQuantities = new uint256[](book.ids.length);
        if (r.equity < 0) adlQuantities = _absorbDeficit(s, p, account, r, book);

        // The keeper takes what ADL did not close, at mark.
        for (uint256 i; i < book.ids.length; ++i) {
            uint256 rest = AccountLogic.abs(book.sizes[i]) - adlQuantities[i];
            if (rest == 0) continue;
            s.applyTrade(keeper, book.ids[i], book.sizes[i] > 0 ? int256(rest) : -int256(rest), book.prices[i]);
        }
        s.requireInitialMargin(p, keeper);
    }

    function _requireLiquidationsOpen(State storage s, uint256 mask) private view {
        for (uint256 id; mask != 0; ++id) {
            if (mask & (1 << id) == 0) continue;
            mask &= ~(1 << id);
            MarketInfo storage m = s.markets[id];
            if (m.paused) revert IClearinghouse.MarketPaused(id);
            if (m.unpausedAt != 0 && block.timestamp < m.unpausedAt + s.gracePeriod) {
                revert IClearinghouse.LiquidationGracePeriod(id, m.unpausedAt + s.gracePeriod);
            }
        }
    }

    function _book(State storage s, Prices memory p, address account) private view returns (Book memory book) {
        Account storage a = s.accounts[account];
        uint256 count;
        for (uint256 mask = a.marketMask; mask != 0; mask &= mask - 1) ++count;
        book.ids = new uint256[](count);
        book.sizes = new int256[](count);
        book.prices = new uint256[](count);
        book.notionals = new uint256[](count);
        uint256 k;
        for (uint256 id; k < count; ++id) {
            if (a.marketMask & (1 << id) == 0) continue;
            book.ids[k] = id;
            book.sizes[k] = a.positions[id].size;
            book.prices[k] = s.markPrice(p, id);
            book.notionals[k] = Math.mulDiv(AccountLogic.abs(book.sizes[k]), book.prices[k], WAD);
            ++k;
        }
    }

    /// @dev Bankrupt account: seize collateral, draw the insurance fund, then the default fund,
    ///      then spread what is left over the positions by notional and auto-deleverage it.
    function _absorbDeficit(State storage s, Prices memory p, address account, Risk memory r, Book memory book)
        private
        returns (uint256[] memory quantities)
    {
        Account storage a = s.accounts[account];
        uint256 deficit = uint256(-r.equity);
        for (uint256 i; i < s.collaterals.length; ++i) {
            uint256 balance = a.balances[i];
            if (balance == 0) continue;
            a.balances[i] = 0;
            s.collaterals[i].totalDeposits -= balance;
            s.collaterals[i].seized += balance;
            emit IClearinghouse.CollateralSeized(account, i, balance);
        }
        a.cash = 0;
        emit IClearinghouse.CashUpdated(account, 0);
        uint256 insuranceDraw = Math.min(deficit, s.insuranceFund);
        s.insuranceFund -= insuranceDraw;
        uint256 defaultFundDraw = Math.min(deficit - insuranceDraw, s.defaultFund);
        s.defaultFund -= defaultFundDraw;
        uint256 residual = deficit - insuranceDraw - defaultFundDraw;

        quantities = new uint256[](book.ids.length);
        uint256 absorbedTotal;
        uint256 badDebt;
        if (residual > 0) {
            uint256 totalNotional;
            for (uint256 i; i < book.ids.length; ++i) totalNotional += book.notionals[i];
            uint256 assigned;
            for (uint256 i; i < book.ids.length; ++i) {
                uint256 share = i + 1 == book.ids.length
                    ? residual - assigned
                    : (totalNotional == 0 ? 0 : Math.mulDiv(residual, book.notionals[i], totalNotional));
                assigned += share;
                if (share == 0) continue;
                (uint256 absorbed, uint256 quantity) =
                    _deleverage(s, p, account, book.ids[i], book.sizes[i], book.prices[i], share, residual, deficit);
                quantities[i] = quantity;
                absorbedTotal += absorbed;
                badDebt += share - absorbed;
            }
            s.badDebt += badDebt;
        }
        emit IClearinghouse.DeficitAbsorbed(
            account, deficit, r.collateralValue, insuranceDraw, defaultFundDraw, absorbedTotal, badDebt
        );
    }

    /// @dev ADL of `share` of the residual in one market. Returns what counterparties absorbed and
    ///      the quantity of the bankrupt position they closed (queue mode only).
    function _deleverage(
        State storage s,
        Prices memory p,
        address bankrupt,
        uint256 marketId,
        int256 bankruptSize,
        uint256 price,
        uint256 share,
        uint256 residual,
        uint256 deficit
    ) private returns (uint256 absorbed, uint256 quantity) {
        Counterparty[] memory cps = _counterparties(s, p, marketId, bankruptSize, price);
        if (cps.length == 0) return (0, 0);
        if (s.adlMode == AdlMode.ProRata) {
            uint256 totalProfit;
            for (uint256 i; i < cps.length; ++i) totalProfit += cps[i].profit;
            absorbed = Math.min(share, totalProfit);
            uint256 first = _best(cps);
            uint256 spread;
            uint256[] memory haircuts = new uint256[](cps.length);
            for (uint256 i; i < cps.length; ++i) {
                haircuts[i] = Math.mulDiv(absorbed, cps[i].profit, totalProfit);
                spread += haircuts[i];
            }
            haircuts[first] += absorbed - spread;
            for (uint256 i; i < cps.length; ++i) {
                if (haircuts[i] == 0) continue;
                s.accounts[cps[i].account].cash -= int256(haircuts[i]);
                emit IClearinghouse.CashUpdated(cps[i].account, s.accounts[cps[i].account].cash);
                emit IClearinghouse.AdlFill(marketId, bankrupt, cps[i].account, 0, haircuts[i]);
            }
            return (absorbed, 0);
        }

        // Queue: close the uncovered share of the position against the highest ranks first.
        uint256 requested = Math.min(
            Math.mulDiv(AccountLogic.abs(bankruptSize), residual, deficit, Math.Rounding.Ceil),
            AccountLogic.abs(bankruptSize)
        );
        uint256[] memory order = new uint256[](cps.length);
        uint256[] memory fills = new uint256[](cps.length);
        uint256 count;
        for (uint256 left = requested; left > 0 && count < cps.length; ++count) {
            uint256 next = _best(cps);
            cps[next].used = true;
            order[count] = next;
            fills[count] = Math.min(cps[next].size, left);
            left -= fills[count];
            quantity += fills[count];
        }
        if (quantity == 0) return (0, 0);
        absorbed = Math.mulDiv(share, quantity, requested);
        uint256 charged;
        for (uint256 k; k < count; ++k) {
            uint256 haircut = k + 1 == count ? absorbed - charged : Math.mulDiv(absorbed, fills[k], quantity);
            charged += haircut;
            address cp = cps[order[k]].account;
            s.applyTrade(cp, marketId, bankruptSize > 0 ? int256(fills[k]) : -int256(fills[k]), price);
            s.accounts[cp].cash -= int256(haircut);
            emit IClearinghouse.CashUpdated(cp, s.accounts[cp].cash);
            emit IClearinghouse.AdlFill(marketId, bankrupt, cp, fills[k], haircut);
        }
    }

    /// @dev Opposite-side holders in profit, with their ADL rank (docs/PROTOCOL.md, "Rank"):
    ///      rank = floor(floor(uPnL·1e18 / max(|openNotional|, 1)) · notional / equity), or the
    ///      maximum when equity ≤ 0.
    function _counterparties(State storage s, Prices memory p, uint256 marketId, int256 bankruptSize, uint256 price)
        private
        view
        returns (Counterparty[] memory cps)
    {
        address[] storage holders = s.holders[marketId];
        Counterparty[] memory all = new Counterparty[](holders.length);
        uint256 count;
        for (uint256 i; i < holders.length; ++i) {
            Position storage pos = s.accounts[holders[i]].positions[marketId];
            if ((pos.size > 0) == (bankruptSize > 0)) continue;
            int256 pnl = AccountLogic.signedValue(pos.size, price) - pos.openNotional;
            if (pnl <= 0) continue;
            Risk memory r = s.risk(p, holders[i]);
            uint256 pnlPct = Math.mulDiv(uint256(pnl), WAD, Math.max(AccountLogic.abs(pos.openNotional), 1));
            uint256 rank = r.equity <= 0 ? type(uint256).max : Math.mulDiv(pnlPct, r.notional, uint256(r.equity));
            all[count++] = Counterparty(holders[i], AccountLogic.abs(pos.size), uint256(pnl), rank, false);
        }
        cps = new Counterparty[](count);
        for (uint256 i; i < count; ++i) cps[i] = all[i];
    }

    /// @dev The unused counterparty first in ADL order: highest rank, ties to the lowest address.
    function _best(Counterparty[] memory cps) private pure returns (uint256 best) {
        best = type(uint256).max;
        for (uint256 i; i < cps.length; ++i) {
            if (cps[i].used) continue;
            if (
                best == type(uint256).max || cps[i].rank > cps[best].rank
                    || (cps[i].rank == cps[best].rank && cps[i].account < cps[best].account)
            ) best = i;
        }
    }
}
