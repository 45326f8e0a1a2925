import { BaseError, ContractFunctionRevertedError, UserRejectedRequestError } from "viem";

/** One sentence for a failed wallet action: rejected, reverted (with the contract's error), or unreachable. */
export function describeWalletError(error: unknown): string {
  if (error instanceof BaseError) {
    if (error.walk((e) => e instanceof UserRejectedRequestError)) return "You rejected the request in your wallet; nothing was sent.";
    const revert = error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (revert instanceof ContractFunctionRevertedError) {
      const name = revert.data?.errorName;
      const args = revert.data?.args?.map(String).join(", ");
      return name ? `The contract refused it: ${name}${args ? `(${args})` : ""}.` : `The contract refused it: ${revert.reason ?? revert.shortMessage}`;
    }
    if (/rejected|denied/i.test(error.shortMessage)) return "You rejected the request in your wallet; nothing was sent.";
    if (/fetch|network|HTTP request failed/i.test(error.shortMessage)) return "The chain cannot be reached; nothing was sent. Try again when it is back.";
    return error.shortMessage;
  }
  return error instanceof Error ? error.message : String(error);
}
