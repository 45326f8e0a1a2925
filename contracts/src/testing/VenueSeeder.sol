// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IPriceOracle} from "../oracle/IPriceOracle.sol";
import {Clearinghouse} from "../clearinghouse/Clearinghouse.sol";
import {AccountLogic, State, Account, Prices, WAD} from "../clearinghouse/AccountLogic.sol";
import {MarketInfo, CollateralInfo} from "../clearinghouse/IClearinghouse.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @notice One position of a seeded account: its size (base units, WAD, signed), opened at mark.
struct SeededPosition {
    uint256 marketId;
    int256 size;
}

/// @notice One account to seed: its collateral per asset id (token units, 0 for none) and its
///         positions (each market at most once).
struct SeededAccount {
    address account;
    uint256[] balances;
    SeededPosition[] positions;
}

/// @title VenueSeeder
/// @notice TEST ONLY, never deployed by deployProtocol. The clearinghouse plus one batch function
///         that writes a venue's accounts without token transfers or counterparties: the builder of
///         a big local venue (scripts/venue) installs this code at the clearinghouse's address
///         (anvil_setCode), seeds, then puts the clearinghouse's own code back. Inheriting the
///         clearinghouse makes the storage layout identical by construction.
/// @dev    Each account goes through the clearinghouse's own code paths, so every slot and event
///         is what the real operations would leave:
///         - a deposit per non-zero balance: registration (AccountRegistered, accountList,
///           `known`), balance, the asset's totalDeposits under its deposit cap, Deposited;
///         - one side of a trade per position, at the oracle's mark, through AccountLogic.applyTrade:
///           size, open notional = signedValue(size, mark), open interest, the market's holder
///           list and the account's market mask, PositionUpdated;
///         - then the checks `trade` makes on each side: concentration cap and initial margin.
///         What it cannot check per batch is that longs equal shorts in every market (the other
///         side of every trade is another account, maybe in a later batch) and that the
///         clearinghouse holds the tokens it credited: the builder mints them and its test checks
///         both. Example: account A with 10,000 USDC and a 2 ETH long at $3,000 → balances [1e10, 0],
///         positions [(0, 2e18)]: balance 1e10, ETH long OI +2e18, open notional $6,000 (6e21).
contract VenueSeeder is Clearinghouse {
    using AccountLogic for State;

    /// @notice The account is already registered: seeding it again would double its holdings.
    error AlreadySeeded(address account);

    constructor(address governance, IPriceOracle oracle_, uint256 gracePeriod_, uint256 cooldown_)
        Clearinghouse(governance, oracle_, gracePeriod_, cooldown_)
    {}

    /// @notice Seeds `accounts` (none of them registered yet); the caller must be a matcher.
    function seedAccounts(SeededAccount[] calldata accounts) external onlyRole(MATCHER_ROLE) {
        Prices memory p = s.loadPrices();
        for (uint256 i; i < accounts.length; ++i) {
            SeededAccount calldata seeded = accounts[i];
            if (s.accounts[seeded.account].known) revert AlreadySeeded(seeded.account);
            _seedBalances(seeded.account, seeded.balances);
            _seedPositions(p, seeded.account, seeded.positions);
            s.requireInitialMargin(p, seeded.account);
        }
    }

    function _seedBalances(address account, uint256[] calldata balances) private {
        s.register(account);
        Account storage a = s.accounts[account];
        for (uint256 assetId; assetId < balances.length; ++assetId) {
            uint256 amount = balances[assetId];
            if (amount == 0) continue;
            if (assetId >= s.collaterals.length) revert UnknownAsset(assetId);
            CollateralInfo storage c = s.collaterals[assetId];
            uint256 total = c.totalDeposits + amount;
            if (total > c.params.depositCap) revert DepositCapExceeded(assetId, total, c.params.depositCap);
            c.totalDeposits = total;
            a.balances[assetId] = amount;
            emit Deposited(account, msg.sender, assetId, amount);
        }
    }

    function _seedPositions(Prices memory p, address account, SeededPosition[] calldata positions) private {
        for (uint256 k; k < positions.length; ++k) {
            uint256 marketId = positions[k].marketId;
            int256 size = positions[k].size;
            if (marketId >= s.markets.length) revert UnknownMarket(marketId);
            if (size == 0) revert ZeroAmount();
            int256 before = s.accounts[account].positions[marketId].size;
            if (before != 0) revert InvalidAmount(marketId);
            uint256 price = s.markPrice(p, marketId);
            s.applyTrade(account, marketId, size, price);
            _requireCaps(s.markets[marketId], marketId, account, size, price);
        }
    }

    /// @dev The open-interest and concentration caps, as `trade` checks them on opening exposure.
    function _requireCaps(MarketInfo storage m, uint256 marketId, address account, int256 size, uint256 price)
        private
        view
    {
        uint256 oiUsd = Math.mulDiv(m.longOpenInterest, price, WAD);
        if (oiUsd > m.params.oiCapUsd) revert OpenInterestCapExceeded(marketId, oiUsd, m.params.oiCapUsd);
        uint256 notional = Math.mulDiv(AccountLogic.abs(size), price, WAD);
        uint256 maxNotional = Math.mulDiv(m.params.concentrationCap, m.params.oiCapUsd, WAD);
        if (notional > maxNotional) revert ConcentrationCapExceeded(marketId, account, notional, maxNotional);
    }
}
