// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IPriceOracle} from "../oracle/IPriceOracle.sol";
import {IClearinghouse, MarketInfo, MarketParams, CollateralInfo, AdlMode} from "./IClearinghouse.sol";

uint256 constant WAD = 1e18;

struct Position {
    int256 size;
    int256 openNotional;
}

struct Account {
    int256 cash;
    uint256 marketMask; // bit m set ⇔ a position in market m
    bool known;
    mapping(uint256 assetId => uint256) balances;
    mapping(uint256 marketId => Position) positions;
}

struct DefaultFundWithdrawal {
    uint256 shares;
    uint256 availableAt;
}

/// @notice The whole clearinghouse state, in one struct so the liquidation library can work on it.
struct State {
    IPriceOracle oracle;
    MarketInfo[] markets; // stored as getMarket returns it (open interest: Σ positive sizes, Σ |negative sizes|)
    CollateralInfo[] collaterals; // stored as getCollateral returns it (seized: taken from bankrupt accounts, held by the insurance fund)
    mapping(address => Account) accounts;
    address[] accountList;
    mapping(uint256 marketId => address[]) holders; // accounts with a position, for ADL
    mapping(uint256 marketId => mapping(address => uint256)) holderIndex; // 1-based
    mapping(address account => mapping(address operator => bool)) operators;
    uint256 insuranceFund;
    uint256 defaultFund;
    uint256 defaultFundShares;
    uint256 pendingWithdrawalShares;
    mapping(address => uint256) defaultFundSharesOf;
    mapping(address => DefaultFundWithdrawal) withdrawals;
    uint256 badDebt;
    AdlMode adlMode;
    uint256 gracePeriod;
    uint256 defaultFundCooldown;
}

/// @notice Prices read once per call: every feed, with its timestamp. Staleness is judged where
///         a price is used, against the market's or asset's own oracle max age.
struct Prices {
    uint256[] market;
    uint256[] marketUpdatedAt;
    uint256[] asset;
    uint256[] assetUpdatedAt;
}

/// @notice An account's margin figures (docs/PROTOCOL.md, "Account valuation").
struct Risk {
    int256 equity;
    uint256 collateralValue;
    uint256 maintenanceMargin;
    uint256 initialMargin;
    uint256 notional;
}

/// @title AccountLogic
/// @notice Valuation and trade settlement, exactly as docs/PROTOCOL.md and engine/ compute them.
///
///         collateralValue = Σ floor(floor(balance·price / 10^dec) · weight / 1e18)
///         uPnL            = floor(size·mark / 1e18) − openNotional      (floor toward −∞)
///         equity          = collateralValue + cash + Σ uPnL
///         MM = Σ ceil(notional·mmr / 1e18),  IM = Σ ceil(notional·imr / 1e18),
///         notional        = floor(|size|·mark / 1e18)
///
///         Example: 2 ETH long opened at $3,000 (open notional $6,000), mark $2,900, $1,000 USDC
///         at weight 1: uPnL = 5,800 − 6,000 = −$200, equity = $800; with mmr 5 % MM = $290,
///         with imr 10 % IM = $580: healthy (800 ≥ 290) but unable to open more (800 ≥ 580 only
///         leaves $220 of room).
library AccountLogic {
    /// @notice floor(size · price / 1e18), rounding toward −∞ (a short's value rounds down too).
    function signedValue(int256 size, uint256 priceWad) internal pure returns (int256) {
        if (size >= 0) return int256(Math.mulDiv(uint256(size), priceWad, WAD));
        return -int256(Math.mulDiv(uint256(-size), priceWad, WAD, Math.Rounding.Ceil));
    }

    function abs(int256 x) internal pure returns (uint256) {
        return x >= 0 ? uint256(x) : uint256(-x);
    }

    /// @notice Reads every market and collateral price once. A feed the oracle cannot price (it
    ///         reverts, e.g. a market listed before its first price) reads as price 0 updated at 0:
    ///         stale wherever it is used, harmless elsewhere, so one unpriced feed cannot stop
    ///         operations that do not use it.
    function loadPrices(State storage s) internal view returns (Prices memory p) {
        uint256 markets = s.markets.length;
        uint256 assets = s.collaterals.length;
        p.market = new uint256[](markets);
        p.marketUpdatedAt = new uint256[](markets);
        p.asset = new uint256[](assets);
        p.assetUpdatedAt = new uint256[](assets);
        for (uint256 i; i < markets; ++i) {
            (p.market[i], p.marketUpdatedAt[i]) = _read(s.oracle, s.markets[i].feedId);
        }
        for (uint256 i; i < assets; ++i) {
            (p.asset[i], p.assetUpdatedAt[i]) = _read(s.oracle, s.collaterals[i].feedId);
        }
    }

    function _read(IPriceOracle oracle, bytes32 feedId) private view returns (uint256 price, uint256 updatedAt) {
        try oracle.getPrice(feedId) returns (uint256 price_, uint256 updatedAt_) {
            return (price_, updatedAt_);
        } catch {
            return (0, 0);
        }
    }

    /// @notice The mark price of a market; reverts StalePrice when older than its max age.
    function markPrice(State storage s, Prices memory p, uint256 marketId) internal view returns (uint256) {
        MarketInfo storage m = s.markets[marketId];
        _requireFresh(m.feedId, p.marketUpdatedAt[marketId], m.params.oracleMaxAge);
        return p.market[marketId];
    }

    function assetPrice(State storage s, Prices memory p, uint256 assetId) internal view returns (uint256) {
        CollateralInfo storage c = s.collaterals[assetId];
        _requireFresh(c.feedId, p.assetUpdatedAt[assetId], c.params.oracleMaxAge);
        return p.asset[assetId];
    }

    function _requireFresh(bytes32 feedId, uint256 updatedAt, uint256 maxAge) private view {
        if (block.timestamp > updatedAt + maxAge) revert IClearinghouse.StalePrice(feedId, updatedAt, maxAge);
    }

    function collateralValue(State storage s, Prices memory p, address account) internal view returns (uint256 value) {
        Account storage a = s.accounts[account];
        uint256 assets = s.collaterals.length;
        for (uint256 i; i < assets; ++i) {
            uint256 balance = a.balances[i];
            if (balance == 0) continue;
            CollateralInfo storage c = s.collaterals[i];
            uint256 usd = Math.mulDiv(balance, assetPrice(s, p, i), 10 ** c.decimals);
            value += Math.mulDiv(usd, c.params.weight, WAD);
        }
    }

    /// @notice Equity, margins and notional of an account at the given prices.
    function risk(State storage s, Prices memory p, address account) internal view returns (Risk memory r) {
        Account storage a = s.accounts[account];
        r.collateralValue = collateralValue(s, p, account);
        r.equity = int256(r.collateralValue) + a.cash;
        uint256 mask = a.marketMask;
        for (uint256 id; mask != 0; ++id) {
            if (mask & (1 << id) == 0) continue;
            mask &= ~(1 << id);
            Position storage pos = a.positions[id];
            MarketParams storage params = s.markets[id].params;
            uint256 price = markPrice(s, p, id);
            uint256 notional = Math.mulDiv(abs(pos.size), price, WAD);
            r.equity += signedValue(pos.size, price) - pos.openNotional;
            r.notional += notional;
            r.maintenanceMargin += Math.mulDiv(notional, params.mmr, WAD, Math.Rounding.Ceil);
            r.initialMargin += Math.mulDiv(notional, params.imr, WAD, Math.Rounding.Ceil);
        }
    }

    function requireInitialMargin(State storage s, Prices memory p, address account) internal view {
        Risk memory r = risk(s, p, account);
        if (r.equity < int256(r.initialMargin)) {
            revert IClearinghouse.InsufficientMargin(account, r.equity, r.initialMargin);
        }
    }

    function register(State storage s, address account) internal {
        Account storage a = s.accounts[account];
        if (!a.known) {
            a.known = true;
            s.accountList.push(account);
            emit IClearinghouse.AccountRegistered(account, s.accountList.length - 1);
        }
    }

    /// @notice Settles `delta` of market `marketId` for `account` at `priceWad` (docs/PROTOCOL.md,
    ///         "Trades"): opening adds signedValue(delta, price) to open notional; reducing realises
    ///         −signedValue(closing, price) − (the closed share of open notional) into cash; a flip
    ///         closes the whole position and opens the remainder.
    function applyTrade(State storage s, address account, uint256 marketId, int256 delta, uint256 priceWad) internal {
        register(s, account);
        Account storage a = s.accounts[account];
        Position storage pos = a.positions[marketId];
        int256 size = pos.size;
        _removeOpenInterest(s.markets[marketId], size);
        if (size != 0 && (size > 0) != (delta > 0)) {
            // reduce, close or flip
            uint256 closing = Math.min(abs(delta), abs(size));
            int256 c = delta > 0 ? int256(closing) : -int256(closing);
            uint256 closedAbs = Math.mulDiv(abs(pos.openNotional), closing, abs(size));
            int256 onClosed = pos.openNotional >= 0 ? int256(closedAbs) : -int256(closedAbs);
            a.cash += -signedValue(c, priceWad) - onClosed;
            size += c;
            pos.openNotional -= onClosed;
            if (size == 0) {
                a.cash -= pos.openNotional; // rounding dust of the closed notional
                pos.openNotional = 0;
            }
            emit IClearinghouse.CashUpdated(account, a.cash);
            delta -= c;
        }
        if (delta != 0) {
            size += delta;
            pos.openNotional += signedValue(delta, priceWad);
        }
        pos.size = size;
        _addOpenInterest(s.markets[marketId], size);
        _updateHolder(s, account, marketId, size != 0);
        emit IClearinghouse.PositionUpdated(account, marketId, size, pos.openNotional);
    }

    /// @notice Removes a liquidated position (its PnL is realised by the caller).
    function removePosition(State storage s, address account, uint256 marketId) internal {
        Position storage pos = s.accounts[account].positions[marketId];
        _removeOpenInterest(s.markets[marketId], pos.size);
        pos.size = 0;
        pos.openNotional = 0;
        _updateHolder(s, account, marketId, false);
        emit IClearinghouse.PositionUpdated(account, marketId, 0, 0);
    }

    function _removeOpenInterest(MarketInfo storage m, int256 size) private {
        if (size > 0) m.longOpenInterest -= uint256(size);
        else if (size < 0) m.shortOpenInterest -= uint256(-size);
    }

    function _addOpenInterest(MarketInfo storage m, int256 size) private {
        if (size > 0) m.longOpenInterest += uint256(size);
        else if (size < 0) m.shortOpenInterest += uint256(-size);
    }

    function _updateHolder(State storage s, address account, uint256 marketId, bool holds) private {
        Account storage a = s.accounts[account];
        uint256 index = s.holderIndex[marketId][account];
        address[] storage holders = s.holders[marketId];
        if (holds && index == 0) {
            holders.push(account);
            s.holderIndex[marketId][account] = holders.length;
            a.marketMask |= 1 << marketId;
        } else if (!holds && index != 0) {
            address last = holders[holders.length - 1];
            holders[index - 1] = last;
            s.holderIndex[marketId][last] = index;
            holders.pop();
            delete s.holderIndex[marketId][account];
            a.marketMask &= ~(1 << marketId);
        }
    }
}
