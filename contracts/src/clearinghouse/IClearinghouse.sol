// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice Units (docs/PROTOCOL.md): ratios and prices are WAD (1e18); sizes are base units in
///         WAD, signed (long > 0); open notional, cash, reserves and caps are USD in WAD;
///         collateral balances are in the token's own decimals.
enum AdlMode {
    Queue,
    ProRata
}

/// @notice The two USD reserves governance can move between.
enum Reserve {
    Insurance,
    Default
}

/// @notice Governable risk parameters of one perp market.
struct MarketParams {
    uint256 imr; // initial margin ratio, WAD
    uint256 mmr; // maintenance margin ratio, WAD
    uint256 liquidationPenalty; // share of notional charged on liquidation, WAD
    uint256 keeperShare; // share of the penalty paid to the keeper, WAD
    uint256 oiCapUsd; // cap on long open interest at mark, USD WAD
    uint256 concentrationCap; // max position notional as a share of oiCapUsd, WAD
    uint256 oracleMaxAge; // seconds
}

/// @notice Governable parameters of one collateral asset.
struct CollateralParams {
    uint256 weight; // haircut multiplier in (0, 1], WAD
    uint256 depositCap; // token units
    uint256 oracleMaxAge; // seconds
}

/// @notice One open position of an account (lens and getAccount).
struct PositionView {
    uint256 marketId;
    int256 size;
    int256 openNotional;
}

/// @notice A market as the clearinghouse stores it (without its holder list).
struct MarketInfo {
    string symbol;
    bytes32 feedId;
    MarketParams params;
    bool frozen;
    bool paused;
    uint256 unpausedAt;
    uint256 longOpenInterest;
    uint256 shortOpenInterest;
}

/// @notice A collateral as the clearinghouse stores it.
struct CollateralInfo {
    address token;
    string symbol;
    uint8 decimals;
    bytes32 feedId;
    CollateralParams params;
    bool frozen;
    uint256 totalDeposits;
    uint256 seized;
}

/// @notice Events and errors of the clearinghouse, shared with its liquidation library so that
///         both emit and revert with the same selectors.
interface IClearinghouse {
    // ---- accounts
    /// @notice `account` entered the account list at `index` (registration order, from 0), on its
    ///         first deposit, trade or liquidation taken over: the lens pages accounts in this order.
    event AccountRegistered(address indexed account, uint256 index);
    /// @notice An account's position in `marketId` after it changed (a trade, an ADL fill, a
    ///         liquidation's close or takeover): base units and open notional (USD WAD), both 0 when closed.
    ///         Carries the state so that a reader (the indexer) need not re-run the settlement.
    event PositionUpdated(address indexed account, uint256 indexed marketId, int256 size, int256 openNotional);
    /// @notice An account's cash (USD WAD) after it changed: realised PnL, a cash withdrawal, a
    ///         penalty, a keeper reward, an ADL haircut or a bankrupt account's write-off.
    event CashUpdated(address indexed account, int256 cash);
    /// @notice Collateral credited to `account`, paid by `payer` (token units).
    event Deposited(address indexed account, address indexed payer, uint256 indexed assetId, uint256 amount);
    /// @notice Collateral paid out to `account` (token units).
    event Withdrawn(address indexed account, uint256 indexed assetId, uint256 amount);
    /// @notice Cash (USD WAD) paid out in the quote token.
    event CashWithdrawn(address indexed account, uint256 amountWad);
    /// @notice `account` let `operator` trade for it, or stopped it.
    event OperatorSet(address indexed account, address indexed operator, bool approved);
    /// @notice A settled trade: the taker's size changed by +sizeDelta, the maker's by −sizeDelta, at `priceWad`.
    event Traded(
        address indexed taker, address indexed maker, uint256 indexed marketId, int256 sizeDelta, uint256 priceWad
    );
    // ---- liquidation
    /// @notice A liquidation: the account's equity before it (USD WAD), the penalty charged and its split.
    event Liquidated(
        address indexed account,
        address indexed keeper,
        int256 equity,
        uint256 penalty,
        uint256 keeperReward,
        uint256 insuranceFee
    );
    /// @notice One position of a liquidated account, closed at `priceWad`.
    event PositionLiquidated(address indexed account, uint256 indexed marketId, int256 size, uint256 priceWad);
    /// @notice A bankrupt account's balance moved to the seized holdings (token units).
    event CollateralSeized(address indexed account, uint256 indexed assetId, uint256 amount);
    /// @notice The loss waterfall of a bankrupt account (USD WAD): deficit = insuranceDraw + defaultFundDraw + adlAbsorbed + badDebt.
    event DeficitAbsorbed(
        address indexed account,
        uint256 deficit,
        uint256 collateralLost,
        uint256 insuranceDraw,
        uint256 defaultFundDraw,
        uint256 adlAbsorbed,
        uint256 badDebt
    );
    /// @notice One ADL counterparty: `quantity` closed against the bankrupt position (queue; 0 in pro rata) and the `haircut` it paid (USD WAD).
    event AdlFill(
        uint256 indexed marketId,
        address indexed bankrupt,
        address indexed counterparty,
        uint256 quantity,
        uint256 haircut
    );
    // ---- reserves
    /// @notice A donation to the insurance fund (USD WAD).
    event InsuranceFunded(address indexed from, uint256 amountWad);
    /// @notice A member staked `amountWad` for `shares`.
    event DefaultFundStaked(address indexed member, uint256 amountWad, uint256 shares);
    /// @notice A member started the cooldown for `shares` (all its requested shares become available at `availableAt`).
    event DefaultFundWithdrawalRequested(address indexed member, uint256 shares, uint256 availableAt);
    /// @notice A member withdrew `shares` for `amountWad` (whole quote tokens).
    event DefaultFundWithdrawn(address indexed member, uint256 shares, uint256 amountWad);
    /// @notice Governance moved USD WAD between the insurance fund and the default fund.
    event ReservesMoved(Reserve indexed from, Reserve indexed to, uint256 amountWad);
    /// @notice Governance paid part of the insurance fund to `to` (USD WAD).
    event InsuranceWithdrawn(address indexed to, uint256 amountWad);
    // ---- governance
    /// @notice A new market, its id its listing index.
    event MarketListed(uint256 indexed marketId, string symbol, bytes32 feedId, MarketParams params);
    /// @notice A new collateral, its id its listing index.
    event CollateralListed(uint256 indexed assetId, address token, bytes32 feedId, CollateralParams params);
    /// @notice A market's risk parameters changed (old and new).
    event MarketParamsUpdated(uint256 indexed marketId, MarketParams oldParams, MarketParams newParams);
    /// @notice A collateral's parameters changed (old and new).
    event CollateralParamsUpdated(uint256 indexed assetId, CollateralParams oldParams, CollateralParams newParams);
    /// @notice A market became reduce-only (`frozen`) or normal again.
    event MarketFrozenSet(uint256 indexed marketId, bool frozen);
    /// @notice A market was paused or unpaused; `unpausedAt` is the last unpause time.
    event MarketPausedSet(uint256 indexed marketId, bool paused, uint256 unpausedAt);
    /// @notice A collateral stopped (or resumed) taking deposits.
    event CollateralFrozenSet(uint256 indexed assetId, bool frozen);
    /// @notice The ADL mode changed (old and new).
    event AdlModeSet(AdlMode oldMode, AdlMode newMode);
    /// @notice The post-unpause liquidation grace period changed (seconds, old and new).
    event GracePeriodSet(uint256 oldSeconds, uint256 newSeconds);
    /// @notice The default-fund withdrawal cooldown changed (seconds, old and new).
    event DefaultFundCooldownSet(uint256 oldSeconds, uint256 newSeconds);
    /// @notice The price source changed (old and new).
    event OracleSet(address oldOracle, address newOracle);

    // ---- errors: validation (same names in engine/validation)
    /// @notice Market parameters need 0 < mmr < imr ≤ 1 (WAD).
    error InvalidMarginRatios(uint256 imr, uint256 mmr);
    /// @notice The liquidation penalty must be below the MMR.
    error InvalidLiquidationPenalty(uint256 penalty, uint256 mmr);
    /// @notice The keeper share must be at most 100 % (WAD).
    error InvalidKeeperShare(uint256 keeperShare);
    /// @notice The open-interest cap must be above zero.
    error InvalidOiCap(uint256 oiCapUsd);
    /// @notice The concentration cap must be in (0, 1] (WAD).
    error InvalidConcentrationCap(uint256 concentrationCap);
    /// @notice An oracle max age must be between 60 seconds and 7 days.
    error InvalidOracleMaxAge(uint256 maxAge);
    /// @notice A collateral weight must be in (0, 1] (WAD).
    error InvalidCollateralWeight(uint256 weight);
    /// @notice A duration above its maximum (grace period 7 days, cooldown 90 days).
    error InvalidDuration(uint256 value, uint256 max);
    // ---- errors: operations
    /// @notice No market has this id.
    error UnknownMarket(uint256 marketId);
    /// @notice No collateral has this id.
    error UnknownAsset(uint256 assetId);
    /// @notice `caller` is neither `account`, its operator, nor a matcher.
    error Unauthorized(address caller, address account);
    /// @notice Taker and maker are the same account.
    error SelfTrade(address account);
    /// @notice An amount, size or share count of zero.
    error ZeroAmount();
    /// @notice An amount that is not a whole number of quote tokens (or a token with more than 18 decimals).
    error InvalidAmount(uint256 amount);
    /// @notice The market is paused: nothing moves in it.
    error MarketPaused(uint256 marketId);
    /// @notice The market is reduce-only and the trade opens or increases exposure.
    error MarketFrozen(uint256 marketId);
    /// @notice The collateral takes no deposits.
    error CollateralFrozen(uint256 assetId);
    /// @notice The deposit would take the asset's total over its cap (token units).
    error DepositCapExceeded(uint256 assetId, uint256 totalAfter, uint256 cap);
    /// @notice A withdrawal above the account's balance (token units).
    error InsufficientBalance(address account, uint256 assetId, uint256 balance, uint256 amount);
    /// @notice A cash withdrawal above the account's cash (USD WAD).
    error InsufficientCash(address account, int256 cash, uint256 amountWad);
    /// @notice The operation would leave `account` with equity below initial margin (USD WAD).
    error InsufficientMargin(address account, int256 equity, uint256 initialMargin);
    /// @notice The trade would take long open interest at mark above the cap (USD WAD).
    error OpenInterestCapExceeded(uint256 marketId, uint256 oiAfterUsd, uint256 oiCapUsd);
    /// @notice The trade would take the account's position above concentrationCap · oiCapUsd (USD WAD).
    error ConcentrationCapExceeded(uint256 marketId, address account, uint256 notionalUsd, uint256 maxNotionalUsd);
    /// @notice A price the operation uses is older than its max age (updatedAt + maxAge < now).
    error StalePrice(bytes32 feedId, uint256 updatedAt, uint256 maxAge);
    /// @notice The account has no position or equity ≥ maintenance margin: not liquidatable.
    error AccountHealthy(address account, int256 equity, uint256 maintenanceMargin);
    /// @notice An account cannot liquidate itself.
    error SelfLiquidation(address account);
    /// @notice The market was unpaused recently: liquidations resume at `resumesAt`.
    error LiquidationGracePeriod(uint256 marketId, uint256 resumesAt);
    /// @notice The reserve holds less than the amount moved (USD WAD).
    error InsufficientReserves(Reserve reserve, uint256 available, uint256 amountWad);
    /// @notice A withdrawal request above the member's shares not already requested.
    error InsufficientShares(address member, uint256 available, uint256 shares);
    /// @notice The member has no default-fund withdrawal in cooldown.
    error NoWithdrawalRequested(address member);
    /// @notice The member's default-fund withdrawal is available only at `availableAt`.
    error CooldownNotElapsed(address member, uint256 availableAt);
    /// @notice Losses emptied the default fund while shares remain: new stakes would be mispriced.
    error DefaultFundDepleted();
    /// @notice A reserve move from a reserve to itself.
    error SameReserve(Reserve reserve);
}
