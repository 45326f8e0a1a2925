/**
 * Governance actions ⇄ proposal calldata. encodeChange turns an engine ParamChange into the
 * (target, value, calldata) a proposal carries; decodeCall reads any call back into a
 * ParamChange — or says, in words, why it cannot: an unknown target, a selector outside the
 * governable set, malformed calldata. Decoding never throws on bad input.
 */

import { decodeFunctionData, encodeFunctionData, isAddress, isHex, type Address, type Hex } from "viem";
import { AdlMode, type MarketParams, type ParamChange } from "../../engine/index.ts";
import { clearinghouseAbi } from "../contracts/abis.ts";
import type { Deployment } from "../contracts/deployment.ts";

export interface ProposalCall {
  target: Address;
  value: bigint;
  calldata: Hex;
}

export type DecodedCall =
  | { kind: "change"; change: ParamChange; call: ProposalCall }
  | { kind: "unknown"; reason: string; call: ProposalCall };

const toSolidityParams = (p: MarketParams) => ({
  imr: p.imrWad,
  mmr: p.mmrWad,
  liquidationPenalty: p.liquidationPenaltyWad,
  keeperShare: p.keeperShareWad,
  oiCapUsd: p.oiCapUsd,
  concentrationCap: p.concentrationCapWad,
  oracleMaxAge: p.oracleMaxAgeSec,
});

const RESERVE = { insurance: 0, default: 1 } as const;

/** The call that carries out `change` on the clearinghouse. */
export function encodeChange(change: ParamChange, deployment: Pick<Deployment, "contracts">): ProposalCall {
  const target = deployment.contracts.clearinghouse;
  const encode = (data: Hex): ProposalCall => ({ target, value: 0n, calldata: data });
  switch (change.kind) {
    case "setMarketParams":
      return encode(encodeFunctionData({ abi: clearinghouseAbi, functionName: "setMarketParams", args: [BigInt(change.marketId), toSolidityParams(change.params)] }));
    case "setMarketFrozen":
      return encode(encodeFunctionData({ abi: clearinghouseAbi, functionName: "setMarketFrozen", args: [BigInt(change.marketId), change.frozen] }));
    case "setMarketPaused":
      return encode(encodeFunctionData({ abi: clearinghouseAbi, functionName: "setMarketPaused", args: [BigInt(change.marketId), change.paused] }));
    case "setCollateralParams":
      return encode(encodeFunctionData({ abi: clearinghouseAbi, functionName: "setCollateralParams", args: [BigInt(change.assetId), { weight: change.params.weightWad, depositCap: change.params.depositCapNative, oracleMaxAge: change.params.oracleMaxAgeSec }] }));
    case "setCollateralFrozen":
      return encode(encodeFunctionData({ abi: clearinghouseAbi, functionName: "setCollateralFrozen", args: [BigInt(change.assetId), change.frozen] }));
    case "setAdlMode":
      return encode(encodeFunctionData({ abi: clearinghouseAbi, functionName: "setAdlMode", args: [change.mode] }));
    case "setGracePeriod":
      return encode(encodeFunctionData({ abi: clearinghouseAbi, functionName: "setGracePeriod", args: [change.seconds] }));
    case "setDefaultFundCooldown":
      return encode(encodeFunctionData({ abi: clearinghouseAbi, functionName: "setDefaultFundCooldown", args: [change.seconds] }));
    case "moveReserves":
      return encode(encodeFunctionData({ abi: clearinghouseAbi, functionName: "moveReserves", args: [RESERVE[change.from], RESERVE[change.to], change.amountUsd] }));
    case "withdrawInsurance":
      return encode(encodeFunctionData({ abi: clearinghouseAbi, functionName: "withdrawInsurance", args: [change.to, change.amountUsd] }));
  }
}

const fromReserve = (r: number) => (r === 0 ? "insurance" : "default") as "insurance" | "default";

/** Reads a proposal call back into a governance action, or explains why it is not one. */
export function decodeCall(call: ProposalCall, deployment: Pick<Deployment, "contracts">): DecodedCall {
  const unknown = (reason: string): DecodedCall => ({ kind: "unknown", reason, call });
  if (!isAddress(call.target, { strict: false })) return unknown(`the target "${String(call.target)}" is not an address`);
  if (typeof call.calldata !== "string" || !isHex(call.calldata) || call.calldata.length % 2 !== 0) return unknown("the calldata is not hex bytes");
  if (call.target.toLowerCase() !== deployment.contracts.clearinghouse.toLowerCase()) {
    const known = Object.entries(deployment.contracts).find(([, a]) => a.toLowerCase() === call.target.toLowerCase());
    return unknown(known ? `a call to the ${known[0]} contract, outside the clearinghouse's governable functions` : `an unknown target ${call.target}: not a contract of this deployment`);
  }
  if (call.value !== 0n) return unknown(`it sends ${call.value} wei of ETH to the clearinghouse, which takes none`);
  if (call.calldata.length < 10) return unknown("the calldata is shorter than a function selector");
  let decoded: ReturnType<typeof decodeFunctionData<typeof clearinghouseAbi>>;
  try {
    decoded = decodeFunctionData({ abi: clearinghouseAbi, data: call.calldata });
  } catch {
    return unknown(`the selector ${call.calldata.slice(0, 10)} is not a clearinghouse function, or its arguments are malformed`);
  }
  const change = (c: ParamChange): DecodedCall => ({ kind: "change", change: c, call });
  const { functionName: fn, args } = decoded;
  switch (fn) {
    case "setMarketParams": {
      const [id, p] = args;
      return change({ kind: "setMarketParams", marketId: Number(id), params: { imrWad: p.imr, mmrWad: p.mmr, liquidationPenaltyWad: p.liquidationPenalty, keeperShareWad: p.keeperShare, oiCapUsd: p.oiCapUsd, concentrationCapWad: p.concentrationCap, oracleMaxAgeSec: p.oracleMaxAge } });
    }
    case "setMarketFrozen":
      return change({ kind: "setMarketFrozen", marketId: Number(args[0]), frozen: args[1] });
    case "setMarketPaused":
      return change({ kind: "setMarketPaused", marketId: Number(args[0]), paused: args[1] });
    case "setCollateralParams":
      return change({ kind: "setCollateralParams", assetId: Number(args[0]), params: { weightWad: args[1].weight, depositCapNative: args[1].depositCap, oracleMaxAgeSec: args[1].oracleMaxAge } });
    case "setCollateralFrozen":
      return change({ kind: "setCollateralFrozen", assetId: Number(args[0]), frozen: args[1] });
    case "setAdlMode":
      return args[0] === 0 || args[0] === 1 ? change({ kind: "setAdlMode", mode: args[0] === 0 ? AdlMode.Queue : AdlMode.ProRata }) : unknown(`ADL mode ${args[0]} does not exist`);
    case "setGracePeriod":
      return change({ kind: "setGracePeriod", seconds: args[0] });
    case "setDefaultFundCooldown":
      return change({ kind: "setDefaultFundCooldown", seconds: args[0] });
    case "moveReserves":
      return args[0] > 1 || args[1] > 1 ? unknown("a reserve that does not exist") : change({ kind: "moveReserves", from: fromReserve(args[0]), to: fromReserve(args[1]), amountUsd: args[2] });
    case "withdrawInsurance":
      return change({ kind: "withdrawInsurance", to: args[0].toLowerCase() as `0x${string}`, amountUsd: args[1] });
    default:
      return unknown(`${fn} is a clearinghouse function, but not a governance action Backstop can preview`);
  }
}
