/**
 * A revert in words. Every custom error the protocol's contracts declare (clearinghouse and its
 * libraries, oracle, governor, timelock, token) is decoded from the revert data, whichever
 * contract raised it — a premature execute reverts in the timelock while the wallet called the
 * governor, so the governor's ABI alone cannot read it — and said as a sentence; Error(string)
 * and Panic(uint) are read too. Never a raw selector: an error none of them declares is said to be
 * unknown.
 */

import { BaseError, decodeErrorResult, formatUnits, type Abi, type Hex } from "viem";

type AbiError = Extract<Abi[number], { type: "error" }>;
import { backstopGovernorAbi, backstopTimelockAbi, backstopTokenAbi, chainlinkFeedAdapterAbi, clearinghouseAbi, clearinghouseLensAbi, iClearinghouseAbi, liquidationLogicAbi, priceOracleAbi, testTokenAbi, forwarderAbi } from "../contracts/abis.ts";

/** The custom errors of every protocol contract, once each. */
export const protocolErrorsAbi: readonly AbiError[] = (() => {
  const bySignature = new Map<string, AbiError>();
  for (const abi of [clearinghouseAbi, iClearinghouseAbi, liquidationLogicAbi, clearinghouseLensAbi, priceOracleAbi, chainlinkFeedAdapterAbi, backstopGovernorAbi, backstopTimelockAbi, backstopTokenAbi, testTokenAbi, forwarderAbi] as readonly Abi[]) {
    for (const item of abi) if (item.type === "error") bySignature.set(`${item.name}(${item.inputs.map((i) => i.type).join(",")})`, item);
  }
  return [...bySignature.values()];
})();

const PROPOSAL_STATES = ["Pending", "Active", "Canceled", "Defeated", "Succeeded", "Queued", "Expired", "Executed"] as const;
const OPERATION_STATES = ["not scheduled", "waiting for its delay", "ready", "done"] as const;
const RESERVES = ["insurance fund", "default fund"] as const;

/** The names of the states whose bits are set in an OpenZeppelin state bitmap (bit i = state i). */
const statesIn = (bitmap: unknown, names: readonly string[]) => names.filter((_, i) => (BigInt(bitmap as bigint) >> BigInt(i)) & 1n);
const usd = (wad: unknown) => `$${Number(formatUnits(BigInt(wad as bigint), 18)).toLocaleString("en-US", { maximumFractionDigits: 2 })}`;
const pct = (wad: unknown) => `${Number(formatUnits(BigInt(wad as bigint) * 100n, 18)).toLocaleString("en-US", { maximumFractionDigits: 4 })}%`;
const short = (a: unknown) => `${String(a).slice(0, 6)}…${String(a).slice(-4)}`;
const at = (seconds: unknown) => {
  const date = new Date(Number(seconds) * 1000);
  return Number.isNaN(date.getTime()) ? `chain time ${String(seconds)}` : `${date.toISOString().slice(0, 16).replace("T", " ")} UTC (chain time)`;
};

type Words = (args: readonly unknown[]) => string;

/** The sentence for each error by name; the arguments arrive as the ABI decodes them. */
const WORDS: Record<string, Words> = {
  // Governor
  GovernorUnexpectedProposalState: ([, current, expected]) => `the proposal is ${PROPOSAL_STATES[Number(current)] ?? "in another state"}; this needs it ${statesIn(expected, PROPOSAL_STATES).join(" or ")}`,
  GovernorAlreadyCastVote: ([voter]) => `${short(voter)} has already voted on this proposal`,
  GovernorInsufficientProposerVotes: ([, votes, threshold]) => `proposing needs ${formatUnits(BigInt(threshold as bigint), 18)} votes; this wallet has ${formatUnits(BigInt(votes as bigint), 18)}`,
  GovernorNonexistentProposal: ([id]) => `there is no proposal ${String(id)}`,
  GovernorUnableToCancel: () => "only the proposer can cancel, and only before voting starts",
  GovernorOnlyExecutor: ([account]) => `${short(account)} is not the governor's executor`,
  GovernorInvalidProposalLength: () => "the proposal's targets, values and calldatas differ in length",
  GovernorInvalidVoteType: () => "a vote is For, Against or Abstain",
  GovernorInvalidSignature: ([voter]) => `the vote's signature is not ${short(voter)}'s`,
  GovernorRestrictedProposer: ([proposer]) => `${short(proposer)} may not submit this proposal`,
  GovernorAlreadyQueuedProposal: () => "the proposal is already queued",
  GovernorProposalQueueingFailed: () => "the timelock refused to schedule the proposal",
  // Timelock
  TimelockUnexpectedOperationState: ([, expected]) => `the timelock operation is not ${statesIn(expected, OPERATION_STATES).join(" or ")}: its delay has not passed yet, or it already ran`,
  TimelockUnexecutedPredecessor: () => "an operation this one depends on has not run yet",
  TimelockUnauthorizedCaller: ([caller]) => `${short(caller)} may not call the timelock`,
  TimelockInsufficientDelay: ([delay, minDelay]) => `a delay of ${String(delay)} s is below the timelock's minimum of ${String(minDelay)} s`,
  AccessControlUnauthorizedAccount: ([account]) => `${short(account)} lacks the role this needs`,
  // Token
  ERC2612ExpiredSignature: () => "the signed permit has expired",
  VotesExpiredSignature: () => "the signed delegation has expired",
  InvalidAccountNonce: () => "the signature was already used (wrong nonce)",
  ERC5805FutureLookup: () => "voting power cannot be read for a block that has not been mined yet",
  ERC20InsufficientBalance: ([, balance, needed]) => `the balance is ${String(balance)}, below the ${String(needed)} needed`,
  ERC20InsufficientAllowance: ([, allowance, needed]) => `the allowance is ${String(allowance)}, below the ${String(needed)} needed`,
  // Clearinghouse
  AccountHealthy: ([account, equity, mm]) => `${short(account)} is not liquidatable: equity ${usd(equity)} is at or above maintenance margin ${usd(mm)}`,
  InsufficientMargin: ([account, equity, im]) => `${short(account)} would be below initial margin: equity ${usd(equity)} against ${usd(im)} required`,
  MarketFrozen: ([id]) => `market ${String(id)} is frozen: only trades that reduce exposure are allowed`,
  MarketPaused: ([id]) => `market ${String(id)} is paused: nothing moves, liquidations included`,
  LiquidationGracePeriod: ([id, resumesAt]) => `liquidations in market ${String(id)} resume at ${at(resumesAt)}, after the grace period`,
  CollateralFrozen: ([id]) => `deposits of collateral ${String(id)} are frozen`,
  OpenInterestCapExceeded: ([id, after, cap]) => `market ${String(id)}'s open interest would reach ${usd(after)}, over its ${usd(cap)} cap`,
  ConcentrationCapExceeded: ([id, account, notional, max]) => `${short(account)} would hold ${usd(notional)} in market ${String(id)}, over the ${usd(max)} concentration limit`,
  DepositCapExceeded: ([id, after, cap]) => `deposits of collateral ${String(id)} would reach ${String(after)}, over the cap of ${String(cap)}`,
  StalePrice: ([, updatedAt, maxAge]) => `the oracle's price is stale: last updated ${at(updatedAt)}, older than its ${String(maxAge)} s maximum`,
  SelfLiquidation: () => "an account cannot liquidate itself",
  SelfTrade: () => "an account cannot trade with itself",
  Unauthorized: ([caller, account]) => `${short(caller)} is not an approved operator of ${short(account)}`,
  InsufficientBalance: ([, id, balance, amount]) => `the balance of collateral ${String(id)} is ${String(balance)}, below the ${String(amount)} asked`,
  InsufficientCash: ([, cash, amount]) => `the account's cash is ${usd(cash)}, below the ${usd(amount)} asked`,
  InsufficientReserves: ([reserve, available, amount]) => `the ${RESERVES[Number(reserve)] ?? "reserve"} holds ${usd(available)}, less than the ${usd(amount)} asked`,
  InsufficientShares: ([, available, shares]) => `only ${String(available)} default-fund shares are available, not ${String(shares)}`,
  CooldownNotElapsed: ([, availableAt]) => `the default-fund withdrawal cooldown ends at ${at(availableAt)}`,
  NoWithdrawalRequested: () => "no default-fund withdrawal was requested",
  DefaultFundDepleted: () => "the default fund is depleted",
  InvalidMarginRatios: ([imr, mmr]) => `margins must satisfy 0 < MMR < IMR ≤ 100%: IMR ${pct(imr)}, MMR ${pct(mmr)}`,
  InvalidLiquidationPenalty: ([penalty, mmr]) => `the liquidation penalty ${pct(penalty)} must be below the MMR ${pct(mmr)}`,
  InvalidKeeperShare: ([share]) => `the keeper share ${pct(share)} must be at most 100%`,
  InvalidConcentrationCap: ([cap]) => `the concentration cap ${pct(cap)} must be above 0 and at most 100%`,
  InvalidCollateralWeight: ([weight]) => `the collateral weight ${pct(weight)} must be above 0 and at most 100%`,
  InvalidOiCap: () => "the open-interest cap must be above zero",
  InvalidOracleMaxAge: ([age]) => `an oracle max age of ${String(age)} s is out of range`,
  InvalidDuration: ([value, max]) => `${String(value)} s is over the maximum of ${String(max)} s`,
  InvalidAmount: () => "the amount is not valid",
  ZeroAmount: () => "the amount is zero",
  SameReserve: () => "a reserve move needs two different reserves",
  UnknownMarket: ([id]) => `there is no market ${String(id)}`,
  UnknownAsset: ([id]) => `there is no collateral asset ${String(id)}`,
  ReentrancyGuardReentrantCall: () => "a call re-entered the clearinghouse",
  SafeERC20FailedOperation: ([token]) => `the token ${short(token)} refused the transfer`,
  // Oracle
  InvalidPrice: () => "the price is not valid (zero or out of range)",
  UnknownFeed: () => "the oracle has no such price feed",
  NotOperator: ([caller]) => `${short(caller)} is not the oracle's operator`,
  InvalidAnswer: () => "the price feed answered a non-positive price",
  // A forwarder (contracts/src/replay/Forwarder.sol): the call it made reverted.
  ForwardFailed: ([reason]) => `the call it forwarded reverted: ${describeRevertData(reason as Hex) ?? "for a reason no protocol contract declares"}`,
};

/** A decoded error (name and arguments) as a sentence; unknown names as Name(args). */
export function errorInWords(name: string, args: readonly unknown[] = []): string {
  if (name === "Error") return String(args[0]);
  if (name === "Panic") return `the contract hit an internal error (panic ${String(args[0])})`;
  const words = WORDS[name];
  return words ? words(args) : `${name}(${args.map(String).join(", ")})`;
}

/** The revert data's error in words, or undefined when no protocol contract declares it. */
export function describeRevertData(data: Hex | undefined): string | undefined {
  if (!data || data === "0x") return undefined;
  try {
    const { errorName, args } = decodeErrorResult({ abi: protocolErrorsAbi, data });
    return errorInWords(errorName, args ?? []);
  } catch {
    return undefined;
  }
}

/** The revert data carried anywhere in a viem error's chain of causes. */
export function revertDataOf(error: unknown): Hex | undefined {
  if (!(error instanceof BaseError)) return undefined;
  let data: Hex | undefined;
  error.walk((e) => {
    const candidate = (e as { raw?: unknown; data?: unknown }).raw ?? (e as { data?: unknown }).data;
    if (typeof candidate === "string" && /^0x[0-9a-fA-F]{8,}$/.test(candidate)) data = candidate as Hex;
    else if (candidate && typeof candidate === "object" && typeof (candidate as { data?: unknown }).data === "string") data = (candidate as { data: Hex }).data;
    return false;
  });
  return data;
}

/**
 * Why a contract call reverted, in words: the protocol error from anywhere in the error's chain;
 * else viem's own decoded reason; else that it reverted for a reason no protocol contract declares.
 */
export function describeRevert(error: unknown): string {
  const words = describeRevertData(revertDataOf(error));
  if (words) return words;
  const named = error instanceof BaseError ? (error.walk((e) => Boolean((e as { data?: { errorName?: string } }).data?.errorName)) as { data?: { errorName: string; args?: readonly unknown[] } } | null) : null;
  if (named?.data) return errorInWords(named.data.errorName, named.data.args ?? []);
  const reason = error instanceof BaseError ? (error.walk((e) => typeof (e as { reason?: unknown }).reason === "string") as { reason?: string } | null)?.reason : undefined;
  return reason ?? "it reverted with an error none of the protocol's contracts declare";
}
