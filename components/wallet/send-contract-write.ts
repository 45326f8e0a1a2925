import { encodeFunctionData, type Abi, type Address, type Hex } from "viem";
import type { Config } from "wagmi";
import { estimateGas, simulateContract, writeContract } from "wagmi/actions";
import { BackstopError } from "@/lib/errors/backstopError";
import { waitForReceipt } from "@/lib/contracts/waitForReceipt";

export interface ContractWrite {
  address: Address;
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
  account: Address;
}

/**
 * Every write from the dashboard goes through here: simulate first (a revert is explained before
 * the wallet is asked), estimate gas and send with a 25 % margin (some wallets and nodes fill gas
 * too tight: a re-delegation ran out of gas that way), then wait for the receipt (lib/contracts/waitForReceipt:
 * also when the node shows the block before its receipt).
 * Resolves with the receipt of a successful transaction; throws otherwise.
 */
export async function sendContractWrite(config: Config, write: ContractWrite) {
  const { request } = await simulateContract(config, write as never);
  const data = encodeFunctionData({ abi: write.abi, functionName: write.functionName, args: write.args } as never);
  const gas = await estimateGas(config, { account: write.account, to: write.address, data });
  const hash: Hex = await writeContract(config, { ...(request as object), gas: (gas * 125n) / 100n } as never);
  const receipt = await waitForReceipt(config.getClient(), { hash });
  if (receipt.status !== "success") throw new BackstopError(`the transaction ${hash} reverted`);
  return receipt;
}
