// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice Units (docs/PROTOCOL.md): ratios and prices are WAD (1e18); sizes are base units in
///         WAD, signed (long > 0); open notional, cash, reserves and caps are USD in WAD;
///         collateral balances are in the token's own decimals.
enum AdlMode {
    Queue,
    ProRata
}

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

struct PositionView {
    uint256 marketId;
    int256 size;
    int256 openNotional;
}

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
    event Deposited(address indexed account, address indexed payer, uint256 indexed assetId, uint256 amount);
    event Withdrawn(address indexed account, uint256 indexed assetId, uint256 amount);
    event CashWithdrawn(address indexed account, uint256 amountWad);
    event OperatorSet(address indexed account, address indexed operator, bool approved);
    event Traded(
        address indexed taker, address indexed maker, uint256 indexed marketId, int256 sizeDelta, uint256 priceWad
    );
    // ---- liquidation
    event Liquidated(
        address indexed account,
        address indexed keeper,
        int256 equity,
        uint256 penalty,
        uint256 keeperReward,
        uint256 insuranceFee
    );
    event PositionLiquidated(address indexed account, uint256 indexed marketId, int256 size, uint256 priceWad);
    event CollateralSeized(address indexed account, uint256 indexed assetId, uint256 amount);
    event DeficitAbsorbed(
        address indexed account,
        uint256 deficit,
        uint256 collateralLost,
        uint256 insuranceDraw,
        uint256 defaultFundDraw,
        uint256 adlAbsorbed,
        uint256 badDebt
    );
    event AdlFill(
        uint256 indexed marketId,
        address indexed bankrupt,
        address indexed counterparty,
        uint256 quantity,
        uint256 haircut
    );
    // ---- reserves
    event InsuranceFunded(address indexed from, uint256 amountWad);
    event DefaultFundStaked(address indexed member, uint256 amountWad, uint256 shares);
    event DefaultFundWithdrawalRequested(address indexed member, uint256 shares, uint256 availableAt);
    event DefaultFundWithdrawn(address indexed member, uint256 shares, uint256 amountWad);
    event ReservesMoved(Reserve indexed from, Reserve indexed to, uint256 amountWad);
    event InsuranceWithdrawn(address indexed to, uint256 amountWad);
    // ---- governance
    event MarketListed(uint256 indexed marketId, string symbol, bytes32 feedId, MarketParams params);
    event CollateralListed(uint256 indexed assetId, address token, bytes32 feedId, CollateralParams params);
    event MarketParamsUpdated(uint256 indexed marketId, MarketParams oldParams, MarketParams newParams);
    event CollateralParamsUpdated(uint256 indexed assetId, CollateralParams oldParams, CollateralParams newParams);
    event MarketFrozenSet(uint256 indexed marketId, bool frozen);
    event MarketPausedSet(uint256 indexed marketId, bool paused, uint256 unpausedAt);
    event CollateralFrozenSet(uint256 indexed assetId, bool frozen);
    event AdlModeSet(AdlMode oldMode, AdlMode newMode);
    event GracePeriodSet(uint256 oldSeconds, uint256 newSeconds);
    event DefaultFundCooldownSet(uint256 oldSeconds, uint256 newSeconds);
    event OracleSet(address oldOracle, address newOracle);

    // ---- errors: validation (same names in engine/validation)
    error InvalidMarginRatios(uint256 imr, uint256 mmr);
    error InvalidLiquidationPenalty(uint256 penalty, uint256 mmr);
    error InvalidKeeperShare(uint256 keeperShare);
    error InvalidOiCap(uint256 oiCapUsd);
    error InvalidConcentrationCap(uint256 concentrationCap);
    error InvalidOracleMaxAge(uint256 maxAge);
    error InvalidCollateralWeight(uint256 weight);
    error InvalidDuration(uint256 value, uint256 max);
    // ---- errors: operations
    error UnknownMarket(uint256 marketId);
    error UnknownAsset(uint256 assetId);
    error Unauthorized(address caller, address account);
    error SelfTrade(address account);
    error ZeroAmount();
    error InvalidAmount(uint256 amount);
    error MarketPaused(uint256 marketId);
    error MarketFrozen(uint256 marketId);
    error CollateralFrozen(uint256 assetId);
    error DepositCapExceeded(uint256 assetId, uint256 totalAfter, uint256 cap);
    error InsufficientBalance(address account, uint256 assetId, uint256 balance, uint256 amount);
    error InsufficientCash(address account, int256 cash, uint256 amountWad);
    error InsufficientMargin(address account, int256 equity, uint256 initialMargin);
    error OpenInterestCapExceeded(uint256 marketId, uint256 oiAfterUsd, uint256 oiCapUsd);
    error ConcentrationCapExceeded(uint256 marketId, address account, uint256 notionalUsd, uint256 maxNotionalUsd);
    error StalePrice(bytes32 feedId, uint256 updatedAt, uint256 maxAge);
    error AccountHealthy(address account, int256 equity, uint256 maintenanceMargin);
    error SelfLiquidation(address account);
    error LiquidationGracePeriod(uint256 marketId, uint256 resumesAt);
    error InsufficientReserves(Reserve reserve, uint256 available, uint256 amountWad);
    error InsufficientShares(address member, uint256 available, uint256 shares);
    error NoWithdrawalRequested(address member);
    error CooldownNotElapsed(address member, uint256 availableAt);
    error DefaultFundDepleted();
    error SameReserve(Reserve reserve);
}
