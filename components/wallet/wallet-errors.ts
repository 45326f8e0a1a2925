import { BaseError, ContractFunctionRevertedError, UserRejectedRequestError } from "viem";
import { describeRevert, describeRevertData, revertDataOf } from "@/lib/errors/describeRevert";
import { messageOf } from "@/lib/errors/messageOf";

/** One sentence for a failed wallet action: rejected, reverted (the contract's error in words), or unreachable. */
export function describeWalletError(error: unknown): string {
  if (error instanceof BaseError) {
    if (error.walk((e) => e instanceof UserRejectedRequestError)) return "You rejected the request in your wallet; nothing was sent.";
    if (error.walk((e) => e instanceof ContractFunctionRevertedError) || describeRevertData(revertDataOf(error))) return `The contract refused it: ${describeRevert(error)}.`;
    if (/rejected|denied/i.test(error.shortMessage)) return "You rejected the request in your wallet; nothing was sent.";
    if (/fetch|network|HTTP request failed/i.test(error.shortMessage)) return "The chain cannot be reached; nothing was sent. Try again when it is back.";
    return error.shortMessage;
  }
  return messageOf(error);
}
