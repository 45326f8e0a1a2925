// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IPriceOracle} from "../oracle/IPriceOracle.sol";
import {Clearinghouse} from "./Clearinghouse.sol";
import {AdlMode, MarketParams, CollateralParams, PositionView, MarketInfo, CollateralInfo} from "./IClearinghouse.sol";

/// @title ClearinghouseLens
/// @notice Read-only views shaped like the engine's ProtocolSnapshot (engine/types.ts): markets
///         and collaterals with their prices, reserves, and pages of accounts with collateral and
///         positions. Every call reads one block's state, so a client that pins the block number
///         gets one consistent snapshot. Never reverts on a stale price: it reports the price and
///         its timestamp, and lets the reader judge.
contract ClearinghouseLens {
    struct MarketView {
        uint256 id;
        string symbol;
        bytes32 feedId;
        uint256 markPrice;
        uint256 priceUpdatedAt;
        MarketParams params;
        bool frozen;
        bool paused;
        uint256 unpausedAt;
        uint256 longOpenInterest;
        uint256 shortOpenInterest;
    }

    struct CollateralView {
        uint256 id;
        address token;
        string symbol;
        uint8 decimals;
        bytes32 feedId;
        uint256 price;
        uint256 priceUpdatedAt;
        CollateralParams params;
        bool frozen;
        uint256 totalDeposits;
        uint256 seized;
    }

    struct AccountView {
        address account;
        int256 cash;
        uint256[] balances;
        PositionView[] positions;
    }

    struct ReservesView {
        uint256 insuranceFund;
        uint256 defaultFund;
        uint256 defaultFundShares;
        uint256 pendingWithdrawalShares;
        uint256 badDebt;
        AdlMode adlMode;
        uint256 gracePeriod;
        uint256 defaultFundCooldown;
    }

    /// @notice The clearinghouse this lens reads.
    Clearinghouse public immutable clearinghouse;

    constructor(Clearinghouse clearinghouse_) {
        clearinghouse = clearinghouse_;
    }

    /// @notice Every market (index = id) with its mark price and timestamp, parameters, flags and
    ///         open interest (base units, WAD). An unpriceable feed reads as price 0 at time 0.
    function getMarkets() external view returns (MarketView[] memory markets) {
        IPriceOracle oracle = clearinghouse.oracle();
        markets = new MarketView[](clearinghouse.marketCount());
        for (uint256 i; i < markets.length; ++i) {
            MarketInfo memory m = clearinghouse.getMarket(i);
            (uint256 price, uint256 updatedAt) = _price(oracle, m.feedId);
            markets[i] = MarketView(
                i,
                m.symbol,
                m.feedId,
                price,
                updatedAt,
                m.params,
                m.frozen,
                m.paused,
                m.unpausedAt,
                m.longOpenInterest,
                m.shortOpenInterest
            );
        }
    }

    /// @notice Every collateral (index = id) with token metadata, price and timestamp, parameters,
    ///         frozen flag, total deposits and seized amount (token units).
    function getCollaterals() external view returns (CollateralView[] memory collaterals) {
        IPriceOracle oracle = clearinghouse.oracle();
        collaterals = new CollateralView[](clearinghouse.collateralCount());
        for (uint256 i; i < collaterals.length; ++i) {
            CollateralInfo memory c = clearinghouse.getCollateral(i);
            (uint256 price, uint256 updatedAt) = _price(oracle, c.feedId);
            collaterals[i] = CollateralView(
                i, c.token, c.symbol, c.decimals, c.feedId, price, updatedAt, c.params, c.frozen, c.totalDeposits, c.seized
            );
        }
    }

    /// @notice Insurance fund, default fund and its shares, bad debt (USD WAD) and the global
    ///         parameters (ADL mode, grace period, default-fund cooldown).
    function getReserves() external view returns (ReservesView memory r) {
        (r.insuranceFund, r.defaultFund, r.defaultFundShares, r.pendingWithdrawalShares, r.badDebt) =
            clearinghouse.reserves();
        (r.adlMode, r.gracePeriod, r.defaultFundCooldown) = clearinghouse.globalParams();
    }

    /// @notice Number of accounts, for paging `getAccounts`.
    function accountCount() external view returns (uint256) {
        return clearinghouse.accountCount();
    }

    /// @notice Accounts [offset, offset + limit) in registration order (fewer at the end, none
    ///         past it): cash (USD WAD), balances per asset id (token units), open positions in
    ///         ascending market id. 500 accounts with two positions each cost ~16M gas: one page
    ///         fits an eth_call under anvil's 30M and geth's 50M caps.
    function getAccounts(uint256 offset, uint256 limit) external view returns (AccountView[] memory accounts) {
        uint256 total = clearinghouse.accountCount();
        uint256 end = offset + limit > total ? total : offset + limit;
        accounts = new AccountView[](end > offset ? end - offset : 0);
        for (uint256 i; i < accounts.length; ++i) {
            address account = clearinghouse.accountAt(offset + i);
            (int256 cash, uint256[] memory balances, PositionView[] memory positions) = clearinghouse.getAccount(account);
            accounts[i] = AccountView(account, cash, balances, positions);
        }
    }

    function _price(IPriceOracle oracle, bytes32 feedId) private view returns (uint256 price, uint256 updatedAt) {
        try oracle.getPrice(feedId) returns (uint256 p, uint256 t) {
            return (p, t);
        } catch {
            return (0, 0);
        }
    }
}
