// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IPriceOracle} from "../oracle/IPriceOracle.sol";
import {
    IClearinghouse,
    AdlMode,
    Reserve,
    MarketParams,
    CollateralParams,
    PositionView,
    MarketInfo,
    CollateralInfo
} from "./IClearinghouse.sol";
import {AccountLogic, State, Account, Position, Prices, Risk, WAD} from "./AccountLogic.sol";
import {LiquidationLogic} from "./LiquidationLogic.sol";

/// @title Clearinghouse
/// @notice A cross-margin perpetual-futures clearinghouse under governance (docs/PROTOCOL.md).
///         Accounts deposit collateral (weighted by a haircut), hold signed positions in perp
///         markets settled pairwise at the oracle price, and are liquidated by anyone once their
///         equity falls below maintenance margin. Losses beyond an account's collateral go
///         through the waterfall: insurance fund, default fund, then auto-deleveraging.
/// @dev    Roles: GOVERNANCE_ROLE (the timelock; admin of every role) changes parameters, lists,
///         freezes, pauses and moves reserves. MATCHER_ROLE settles matched trades for any account
///         (the settlement operator of an order book). Liquidation lives in LiquidationLogic.
contract Clearinghouse is IClearinghouse, AccessControl, ReentrancyGuard {
    using AccountLogic for State;
    using SafeERC20 for IERC20;

    bytes32 public constant GOVERNANCE_ROLE = keccak256("GOVERNANCE_ROLE");
    bytes32 public constant MATCHER_ROLE = keccak256("MATCHER_ROLE");
    uint256 public constant MAX_GRACE_PERIOD = 7 days;
    uint256 public constant MAX_COOLDOWN = 90 days;
    uint256 public constant MIN_ORACLE_MAX_AGE = 60;
    uint256 public constant MAX_ORACLE_MAX_AGE = 7 days;
    uint256 public constant MAX_MARKETS = 256;

    State internal s;

    /// @param governance     gets GOVERNANCE_ROLE and MATCHER_ROLE: the deployer, which lists the
    ///                       markets and collaterals, then hands GOVERNANCE_ROLE to the timelock and
    ///                       renounces its own (scripts/deploy.ts).
    /// @param oracle_        the price source of every market and collateral.
    /// @param gracePeriod_   seconds after an unpause before liquidations resume (≤ 7 days).
    /// @param cooldown_      seconds between a default-fund withdrawal request and its payment (≤ 90 days).
    constructor(address governance, IPriceOracle oracle_, uint256 gracePeriod_, uint256 cooldown_) {
        _grantRole(GOVERNANCE_ROLE, governance);
        _grantRole(MATCHER_ROLE, governance);
        _setRoleAdmin(GOVERNANCE_ROLE, GOVERNANCE_ROLE);
        _setRoleAdmin(MATCHER_ROLE, GOVERNANCE_ROLE);
        _setRoleAdmin(DEFAULT_ADMIN_ROLE, GOVERNANCE_ROLE);
        s.oracle = oracle_;
        _validateDuration(gracePeriod_, MAX_GRACE_PERIOD);
        _validateDuration(cooldown_, MAX_COOLDOWN);
        s.gracePeriod = gracePeriod_;
        s.defaultFundCooldown = cooldown_;
        emit OracleSet(address(0), address(oracle_));
        emit GracePeriodSet(0, gracePeriod_);
        emit DefaultFundCooldownSet(0, cooldown_);
    }

    // ------------------------------------------------------------------ accounts

    /// @notice Deposits `amount` of collateral `assetId` (token units) for the caller.
    function deposit(uint256 assetId, uint256 amount) external {
        depositFor(msg.sender, assetId, amount);
    }

    /// @notice Deposits collateral for `account`, paid by the caller (like Aave's onBehalfOf).
    function depositFor(address account, uint256 assetId, uint256 amount) public nonReentrant {
        if (amount == 0) revert ZeroAmount();
        CollateralInfo storage c = _collateral(assetId);
        if (c.frozen) revert CollateralFrozen(assetId);
        uint256 total = c.totalDeposits + amount;
        if (total > c.params.depositCap) revert DepositCapExceeded(assetId, total, c.params.depositCap);
        c.totalDeposits = total;
        s.register(account);
        s.accounts[account].balances[assetId] += amount;
        IERC20(c.token).safeTransferFrom(msg.sender, address(this), amount);
        emit Deposited(account, msg.sender, assetId, amount);
    }

    /// @notice Withdraws collateral; the account must stay at or above initial margin and hold no
    ///         position in a paused market. Frozen collateral can still be withdrawn.
    function withdraw(uint256 assetId, uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        CollateralInfo storage c = _collateral(assetId);
        Account storage a = s.accounts[msg.sender];
        uint256 balance = a.balances[assetId];
        if (amount > balance) revert InsufficientBalance(msg.sender, assetId, balance, amount);
        _requireNotPaused(a.marketMask);
        a.balances[assetId] = balance - amount;
        c.totalDeposits -= amount;
        s.requireInitialMargin(s.loadPrices(), msg.sender);
        IERC20(c.token).safeTransfer(msg.sender, amount);
        emit Withdrawn(msg.sender, assetId, amount);
    }

    /// @notice Withdraws realised profit (cash, USD WAD) in the quote token (asset 0, $1 each).
    function withdrawCash(uint256 amountWad) external nonReentrant {
        uint256 scale = _quoteScale();
        if (amountWad == 0) revert ZeroAmount();
        if (amountWad % scale != 0) revert InvalidAmount(amountWad);
        Account storage a = s.accounts[msg.sender];
        if (a.cash < int256(amountWad)) revert InsufficientCash(msg.sender, a.cash, amountWad);
        _requireNotPaused(a.marketMask);
        a.cash -= int256(amountWad);
        emit CashUpdated(msg.sender, a.cash);
        s.requireInitialMargin(s.loadPrices(), msg.sender);
        IERC20(s.collaterals[0].token).safeTransfer(msg.sender, amountWad / scale);
        emit CashWithdrawn(msg.sender, amountWad);
    }

    /// @notice Lets `operator` trade for the caller's account (or stops it). Registers nothing:
    ///         an account appears in the account list on its first deposit or trade.
    function setOperator(address operator, bool approved) external {
        s.operators[msg.sender][operator] = approved;
        emit OperatorSet(msg.sender, operator, approved);
    }

    /// @notice Settles a trade of `sizeDelta` (base units, WAD) in `marketId` at the oracle price:
    ///         the taker's size changes by +sizeDelta, the maker's by −sizeDelta. The caller must be
    ///         each side, an operator each side approved, or a matcher. Checks (docs/PROTOCOL.md):
    ///         paused, stale price, frozen (reduce-only), OI cap, concentration cap, then initial
    ///         margin of both sides.
    function trade(address taker, address maker, uint256 marketId, int256 sizeDelta) external nonReentrant {
        _requireAuthorized(taker);
        _requireAuthorized(maker);
        if (taker == maker) revert SelfTrade(taker);
        if (sizeDelta == 0) revert ZeroAmount();
        MarketInfo storage m = _market(marketId);
        if (m.paused) revert MarketPaused(marketId);
        Prices memory p = s.loadPrices();
        uint256 price = s.markPrice(p, marketId);
        int256 takerBefore = s.accounts[taker].positions[marketId].size;
        int256 makerBefore = s.accounts[maker].positions[marketId].size;
        if (m.frozen && !(_reduces(takerBefore, takerBefore + sizeDelta) && _reduces(makerBefore, makerBefore - sizeDelta))) {
            revert MarketFrozen(marketId);
        }
        uint256 longBefore = m.longOpenInterest;
        s.applyTrade(taker, marketId, sizeDelta, price);
        s.applyTrade(maker, marketId, -sizeDelta, price);
        if (m.longOpenInterest > longBefore) {
            uint256 oiUsd = Math.mulDiv(m.longOpenInterest, price, WAD);
            if (oiUsd > m.params.oiCapUsd) revert OpenInterestCapExceeded(marketId, oiUsd, m.params.oiCapUsd);
        }
        _requireConcentration(m, marketId, taker, takerBefore, price);
        _requireConcentration(m, marketId, maker, makerBefore, price);
        s.requireInitialMargin(p, taker);
        s.requireInitialMargin(p, maker);
        emit Traded(taker, maker, marketId, sizeDelta, price);
    }

    /// @notice Liquidates `account` (equity below maintenance margin) for the caller, who takes
    ///         its positions at mark and must meet initial margin afterwards. The account pays
    ///         penalty = min(Σ notional·penaltyRatio, equity), split between the keeper and the
    ///         insurance fund; a negative equity goes through the loss waterfall.
    function liquidate(address account) external nonReentrant {
        LiquidationLogic.liquidate(s, account, msg.sender);
    }

    // ------------------------------------------------------------------ reserves

    /// @notice Adds quote tokens to the insurance fund (anyone may).
    function fundInsurance(uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        uint256 amountWad = amount * _quoteScale();
        IERC20(s.collaterals[0].token).safeTransferFrom(msg.sender, address(this), amount);
        s.insuranceFund += amountWad;
        emit InsuranceFunded(msg.sender, amountWad);
    }

    /// @notice Stakes quote tokens in the default fund for shares of it.
    function stakeDefaultFund(uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        uint256 amountWad = amount * _quoteScale();
        if (s.defaultFundShares != 0 && s.defaultFund == 0) revert DefaultFundDepleted();
        uint256 shares =
            s.defaultFundShares == 0 ? amountWad : Math.mulDiv(amountWad, s.defaultFundShares, s.defaultFund);
        if (shares == 0) revert ZeroAmount();
        IERC20(s.collaterals[0].token).safeTransferFrom(msg.sender, address(this), amount);
        s.defaultFund += amountWad;
        s.defaultFundShares += shares;
        s.defaultFundSharesOf[msg.sender] += shares;
        emit DefaultFundStaked(msg.sender, amountWad, shares);
    }

    /// @notice Starts the cooldown for `shares`; they keep absorbing losses until withdrawn.
    function requestDefaultFundWithdrawal(uint256 shares) external {
        if (shares == 0) revert ZeroAmount();
        uint256 free = s.defaultFundSharesOf[msg.sender] - s.withdrawals[msg.sender].shares;
        if (shares > free) revert InsufficientShares(msg.sender, free, shares);
        uint256 availableAt = block.timestamp + s.defaultFundCooldown;
        s.withdrawals[msg.sender].shares += shares;
        s.withdrawals[msg.sender].availableAt = availableAt;
        s.pendingWithdrawalShares += shares;
        emit DefaultFundWithdrawalRequested(msg.sender, shares, availableAt);
    }

    /// @notice After the cooldown, pays the requested shares' value in whole quote tokens
    ///         (rounded down; the dust stays in the fund).
    function withdrawDefaultFund() external nonReentrant {
        uint256 shares = s.withdrawals[msg.sender].shares;
        if (shares == 0) revert NoWithdrawalRequested(msg.sender);
        uint256 availableAt = s.withdrawals[msg.sender].availableAt;
        if (block.timestamp < availableAt) revert CooldownNotElapsed(msg.sender, availableAt);
        uint256 scale = _quoteScale();
        uint256 paid = Math.mulDiv(shares, s.defaultFund, s.defaultFundShares) / scale;
        delete s.withdrawals[msg.sender];
        s.pendingWithdrawalShares -= shares;
        s.defaultFundSharesOf[msg.sender] -= shares;
        s.defaultFundShares -= shares;
        s.defaultFund -= paid * scale;
        if (paid != 0) IERC20(s.collaterals[0].token).safeTransfer(msg.sender, paid);
        emit DefaultFundWithdrawn(msg.sender, shares, paid * scale);
    }

    // ------------------------------------------------------------------ governance

    /// @notice Lists a perp market priced by `feedId`; its id is its listing index (from 0).
    ///         Reverts with the validation errors of `setMarketParams`.
    function listMarket(string calldata symbol, bytes32 feedId, MarketParams calldata params)
        external
        onlyRole(GOVERNANCE_ROLE)
        returns (uint256 marketId)
    {
        _validateMarketParams(params);
        marketId = s.markets.length;
        if (marketId == MAX_MARKETS) revert UnknownMarket(marketId);
        MarketInfo storage m = s.markets.push();
        m.symbol = symbol;
        m.feedId = feedId;
        m.params = params;
        emit MarketListed(marketId, symbol, feedId, params);
    }

    /// @notice Lists an ERC20 as collateral priced by `feedId` (USD per whole token, WAD); its id
    ///         is its listing index. Asset 0 is the quote token: cash, reserves and payouts are in it.
    function listCollateral(address token, bytes32 feedId, CollateralParams calldata params)
        external
        onlyRole(GOVERNANCE_ROLE)
        returns (uint256 assetId)
    {
        _validateCollateralParams(params);
        assetId = s.collaterals.length;
        CollateralInfo storage c = s.collaterals.push();
        c.token = token;
        c.symbol = IERC20Metadata(token).symbol();
        c.decimals = IERC20Metadata(token).decimals();
        if (c.decimals > 18) revert InvalidAmount(c.decimals);
        c.feedId = feedId;
        c.params = params;
        emit CollateralListed(assetId, token, feedId, params);
    }

    /// @notice Replaces a market's risk parameters (validated as a whole, so IMR and MMR can move
    ///         together).
    function setMarketParams(uint256 marketId, MarketParams calldata params) external onlyRole(GOVERNANCE_ROLE) {
        MarketInfo storage m = _market(marketId);
        _validateMarketParams(params);
        emit MarketParamsUpdated(marketId, m.params, params);
        m.params = params;
    }

    /// @notice Frozen = reduce-only: no new or larger exposure; closing, withdrawals and
    ///         liquidations still work.
    function setMarketFrozen(uint256 marketId, bool frozen) external onlyRole(GOVERNANCE_ROLE) {
        _market(marketId).frozen = frozen;
        emit MarketFrozenSet(marketId, frozen);
    }

    /// @notice Paused = nothing moves, liquidations included. On unpause, liquidations resume only
    ///         after the grace period, so accounts can restore their margin first.
    function setMarketPaused(uint256 marketId, bool paused) external onlyRole(GOVERNANCE_ROLE) {
        MarketInfo storage m = _market(marketId);
        if (m.paused && !paused) m.unpausedAt = block.timestamp;
        m.paused = paused;
        emit MarketPausedSet(marketId, paused, m.unpausedAt);
    }

    /// @notice Replaces a collateral's weight (haircut), deposit cap (token units) and oracle max age.
    function setCollateralParams(uint256 assetId, CollateralParams calldata params) external onlyRole(GOVERNANCE_ROLE) {
        CollateralInfo storage c = _collateral(assetId);
        _validateCollateralParams(params);
        emit CollateralParamsUpdated(assetId, c.params, params);
        c.params = params;
    }

    /// @notice Frozen collateral takes no deposits; it still counts and can be withdrawn.
    function setCollateralFrozen(uint256 assetId, bool frozen) external onlyRole(GOVERNANCE_ROLE) {
        _collateral(assetId).frozen = frozen;
        emit CollateralFrozenSet(assetId, frozen);
    }

    /// @notice Queue (highest ADL rank first, closing positions) or ProRata (haircut on profit,
    ///         closing nothing): see LiquidationLogic.
    function setAdlMode(AdlMode mode) external onlyRole(GOVERNANCE_ROLE) {
        emit AdlModeSet(s.adlMode, mode);
        s.adlMode = mode;
    }

    /// @notice Seconds after a market's unpause before liquidations in it resume (≤ 7 days).
    function setGracePeriod(uint256 seconds_) external onlyRole(GOVERNANCE_ROLE) {
        _validateDuration(seconds_, MAX_GRACE_PERIOD);
        emit GracePeriodSet(s.gracePeriod, seconds_);
        s.gracePeriod = seconds_;
    }

    /// @notice Seconds a default-fund withdrawal waits after its request (≤ 90 days). Applies to
    ///         requests made from now on.
    function setDefaultFundCooldown(uint256 seconds_) external onlyRole(GOVERNANCE_ROLE) {
        _validateDuration(seconds_, MAX_COOLDOWN);
        emit DefaultFundCooldownSet(s.defaultFundCooldown, seconds_);
        s.defaultFundCooldown = seconds_;
    }

    /// @notice Points every market and collateral at another price source.
    function setOracle(IPriceOracle oracle_) external onlyRole(GOVERNANCE_ROLE) {
        emit OracleSet(address(s.oracle), address(oracle_));
        s.oracle = oracle_;
    }

    /// @notice Moves USD between the insurance fund and the default fund (to the default fund it
    ///         raises the value of every share).
    function moveReserves(Reserve from, Reserve to, uint256 amountWad) external onlyRole(GOVERNANCE_ROLE) {
        if (from == to) revert SameReserve(from);
        if (amountWad == 0) revert ZeroAmount();
        if (from == Reserve.Insurance) {
            if (amountWad > s.insuranceFund) revert InsufficientReserves(from, s.insuranceFund, amountWad);
            s.insuranceFund -= amountWad;
            s.defaultFund += amountWad;
        } else {
            if (amountWad > s.defaultFund) revert InsufficientReserves(from, s.defaultFund, amountWad);
            s.defaultFund -= amountWad;
            s.insuranceFund += amountWad;
        }
        emit ReservesMoved(from, to, amountWad);
    }

    /// @notice Pays `amountWad` of the insurance fund to `to` in quote tokens.
    function withdrawInsurance(address to, uint256 amountWad) external onlyRole(GOVERNANCE_ROLE) nonReentrant {
        uint256 scale = _quoteScale();
        if (amountWad == 0) revert ZeroAmount();
        if (amountWad % scale != 0) revert InvalidAmount(amountWad);
        if (amountWad > s.insuranceFund) revert InsufficientReserves(Reserve.Insurance, s.insuranceFund, amountWad);
        s.insuranceFund -= amountWad;
        IERC20(s.collaterals[0].token).safeTransfer(to, amountWad / scale);
        emit InsuranceWithdrawn(to, amountWad);
    }

    // ------------------------------------------------------------------ views

    /// @notice The price source.
    function oracle() external view returns (IPriceOracle) {
        return s.oracle;
    }

    /// @notice Number of listed markets (ids are 0 … count − 1).
    function marketCount() external view returns (uint256) {
        return s.markets.length;
    }

    /// @notice Number of listed collaterals (ids are 0 … count − 1).
    function collateralCount() external view returns (uint256) {
        return s.collaterals.length;
    }

    /// @notice A market's listing, parameters, flags and open interest (base units, WAD).
    function getMarket(uint256 marketId) external view returns (MarketInfo memory) {
        return _market(marketId);
    }

    /// @notice A collateral's listing, parameters, flag, deposits and seized amount (token units).
    function getCollateral(uint256 assetId) external view returns (CollateralInfo memory) {
        return _collateral(assetId);
    }

    /// @notice Number of accounts holding a position in a market (the ADL candidates).
    function marketHolderCount(uint256 marketId) external view returns (uint256) {
        _market(marketId); // reverts on an unknown market, as before
        return s.holders[marketId].length;
    }

    /// @notice Number of accounts that ever deposited, traded or kept a liquidation.
    function accountCount() external view returns (uint256) {
        return s.accountList.length;
    }

    /// @notice The account registered `index`-th (registration order, from 0).
    function accountAt(uint256 index) external view returns (address) {
        return s.accountList[index];
    }

    /// @notice Cash, per-asset balances and open positions (ascending market id) of an account.
    function getAccount(address account)
        external
        view
        returns (int256 cash, uint256[] memory balances, PositionView[] memory positions)
    {
        Account storage a = s.accounts[account];
        cash = a.cash;
        balances = new uint256[](s.collaterals.length);
        for (uint256 i; i < balances.length; ++i) balances[i] = a.balances[i];
        uint256 count;
        for (uint256 mask = a.marketMask; mask != 0; mask &= mask - 1) ++count;
        positions = new PositionView[](count);
        uint256 k;
        for (uint256 id; k < count; ++id) {
            if (a.marketMask & (1 << id) == 0) continue;
            Position storage pos = a.positions[id];
            positions[k++] = PositionView(id, pos.size, pos.openNotional);
        }
    }

    /// @notice Equity, maintenance and initial margin at the current oracle prices (reverts on a
    ///         stale price, like every operation that uses it).
    function accountRisk(address account) external view returns (int256 equity, uint256 mm, uint256 im) {
        Risk memory r = s.risk(s.loadPrices(), account);
        return (r.equity, r.maintenanceMargin, r.initialMargin);
    }

    /// @notice Whether `operator` may trade for `account`.
    function isOperator(address account, address operator) external view returns (bool) {
        return s.operators[account][operator];
    }

    /// @notice Insurance fund and default fund (USD WAD), default-fund shares (total and in
    ///         cooldown) and the bad debt left after ADL (USD WAD).
    function reserves()
        external
        view
        returns (
            uint256 insuranceFund,
            uint256 defaultFund,
            uint256 defaultFundShares,
            uint256 pendingWithdrawalShares,
            uint256 badDebt
        )
    {
        return (s.insuranceFund, s.defaultFund, s.defaultFundShares, s.pendingWithdrawalShares, s.badDebt);
    }

    /// @notice The global governable parameters.
    function globalParams() external view returns (AdlMode adlMode, uint256 gracePeriod, uint256 defaultFundCooldown) {
        return (s.adlMode, s.gracePeriod, s.defaultFundCooldown);
    }

    /// @notice A member's default-fund shares, the part of them in cooldown and when it ends.
    function defaultFundPosition(address member)
        external
        view
        returns (uint256 shares, uint256 pendingShares, uint256 availableAt)
    {
        return (s.defaultFundSharesOf[member], s.withdrawals[member].shares, s.withdrawals[member].availableAt);
    }

    // ------------------------------------------------------------------ internals

    function _market(uint256 marketId) private view returns (MarketInfo storage) {
        if (marketId >= s.markets.length) revert UnknownMarket(marketId);
        return s.markets[marketId];
    }

    function _collateral(uint256 assetId) private view returns (CollateralInfo storage) {
        if (assetId >= s.collaterals.length) revert UnknownAsset(assetId);
        return s.collaterals[assetId];
    }

    function _quoteScale() private view returns (uint256) {
        return 10 ** (18 - _collateral(0).decimals);
    }

    function _requireAuthorized(address account) private view {
        if (msg.sender != account && !s.operators[account][msg.sender] && !hasRole(MATCHER_ROLE, msg.sender)) {
            revert Unauthorized(msg.sender, account);
        }
    }

    function _requireNotPaused(uint256 mask) private view {
        for (uint256 id; mask != 0; ++id) {
            if (mask & (1 << id) == 0) continue;
            mask &= ~(1 << id);
            if (s.markets[id].paused) revert MarketPaused(id);
        }
    }

    /// @dev |after| ≤ |before| without changing side.
    function _reduces(int256 before, int256 after_) private pure returns (bool) {
        if (after_ == 0) return true;
        return (after_ > 0) == (before > 0) && AccountLogic.abs(after_) <= AccountLogic.abs(before);
    }

    function _requireConcentration(MarketInfo storage m, uint256 marketId, address account, int256 before, uint256 price)
        private
        view
    {
        int256 size = s.accounts[account].positions[marketId].size;
        if (AccountLogic.abs(size) <= AccountLogic.abs(before)) return;
        uint256 notional = Math.mulDiv(AccountLogic.abs(size), price, WAD);
        uint256 maxNotional = Math.mulDiv(m.params.concentrationCap, m.params.oiCapUsd, WAD);
        if (notional > maxNotional) revert ConcentrationCapExceeded(marketId, account, notional, maxNotional);
    }

    function _validateMarketParams(MarketParams calldata p) private pure {
        if (p.mmr == 0 || p.mmr >= p.imr || p.imr > WAD) revert InvalidMarginRatios(p.imr, p.mmr);
        if (p.liquidationPenalty >= p.mmr) revert InvalidLiquidationPenalty(p.liquidationPenalty, p.mmr);
        if (p.keeperShare > WAD) revert InvalidKeeperShare(p.keeperShare);
        if (p.oiCapUsd == 0) revert InvalidOiCap(p.oiCapUsd);
        if (p.concentrationCap == 0 || p.concentrationCap > WAD) revert InvalidConcentrationCap(p.concentrationCap);
        _validateOracleMaxAge(p.oracleMaxAge);
    }

    function _validateCollateralParams(CollateralParams calldata p) private pure {
        if (p.weight == 0 || p.weight > WAD) revert InvalidCollateralWeight(p.weight);
        _validateOracleMaxAge(p.oracleMaxAge);
    }

    function _validateOracleMaxAge(uint256 maxAge) private pure {
        if (maxAge < MIN_ORACLE_MAX_AGE || maxAge > MAX_ORACLE_MAX_AGE) revert InvalidOracleMaxAge(maxAge);
    }

    function _validateDuration(uint256 value, uint256 max) private pure {
        if (value > max) revert InvalidDuration(value, max);
    }
}
