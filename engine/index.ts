/**
 * Backstop's risk engine: pure functions over a ProtocolSnapshot (docs/PROTOCOL.md). Shared by
 * the dashboard, the keeper, the CLI and the tests; imports nothing but decimal.js.
 */

export * from "./types.ts";
export * from "./errors.ts";
export * from "./math/wad.ts";
export * from "./format.ts";
export * from "./params/marketParameters.ts";
export * from "./serialize.ts";
export * from "./margin/computeAccountRisk.ts";
export * from "./margin/isLiquidatable.ts";
export * from "./margin/computeHealth.ts";
export * from "./margin/computeSystemRisk.ts";
export * from "./margin/pricingOf.ts";
export * from "./adl/computeAdlRank.ts";
export * from "./adl/compareAdlPriority.ts";
export * from "./adl/computeAdlLights.ts";
export * from "./liquidation/applyTrade.ts";
export * from "./liquidation/simulateLiquidation.ts";
export * from "./liquidation/keeperReward.ts";
export * from "./health/computeEngineHealth.ts";
export * from "./validation/validateParams.ts";
export * from "./preview/applyChanges.ts";
export * from "./preview/previewChanges.ts";
export * from "./margin/computeLiquidationMap.ts";
export * from "./reserves/computeCover.ts";
export * from "./reserves/extremeShock.ts";
export * from "./alerts/computeAlerts.ts";
export * from "./math/random.ts";
export * from "./cascade/simulateCascade.ts";
export * from "./scenarios/scenarios.ts";
export * from "./scenarios/monteCarlo.ts";
export * from "./columnar/exactColumn.ts";
export * from "./columnar/columnarSnapshot.ts";
export * from "./columnar/columnarOf.ts";
export * from "./columnar/sumEquity.ts";
export * from "./screen/marginScreen.ts";
export * from "./screen/screenFigures.ts";
export * from "./screen/findRowsBelow.ts";
export * from "./screen/findNegativeEquity.ts";
export * from "./screen/findLiquidatableRows.ts";
export * from "./screen/findLiquidatableAcross.ts";
export * from "./scenarios/estimatePriceProcess.ts";
export * from "./preview/previewBand.ts";
export * from "./preview/phaseChange.ts";
