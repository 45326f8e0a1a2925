/**
 * timelockOperationId({ governor, targets, values, calldatas, descriptionHash }) — the id under
 * which OpenZeppelin's GovernorTimelockControl queues a proposal in its timelock: the timelock's
 * hashOperationBatch(targets, values, calldatas, predecessor 0, salt), where the salt is the
 * governor's address (its 20 bytes, left-aligned in 32) XOR the description hash. A holder of
 * the timelock's CANCELLER_ROLE cancels a queued proposal with `cancel(id)`; the governor then
 * reads it as Canceled.
 */

import { encodeAbiParameters, keccak256, numberToHex, type Address, type Hex } from "viem";

export interface TimelockOperationIdParameters {
  governor: Address;
  targets: readonly Address[];
  values: readonly bigint[];
  calldatas: readonly Hex[];
  descriptionHash: Hex;
}

export function timelockOperationId({ governor, targets, values, calldatas, descriptionHash }: TimelockOperationIdParameters): Hex {
  const salt = numberToHex((BigInt(governor) << 96n) ^ BigInt(descriptionHash), { size: 32 });
  return keccak256(
    encodeAbiParameters([{ type: "address[]" }, { type: "uint256[]" }, { type: "bytes[]" }, { type: "bytes32" }, { type: "bytes32" }], [targets, values, calldatas, `0x${"0".repeat(64)}`, salt]),
  );
}
