"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { keccak256, stringToHex, type Hex } from "viem";
import { useConfig } from "wagmi";
import { readContract } from "wagmi/actions";
import { backstopTimelockAbi } from "@/lib/contracts/abis";
import { timelockOperationId } from "@/lib/governance/timelockOperationId";
import { useDeployment } from "@/components/wallet/deployment-context";
import { describeWalletError } from "@/components/wallet/wallet-errors";
import { sendContractWrite } from "@/components/wallet/send-contract-write";
import { TransactionStatusLine, type TransactionStatus } from "@/components/wallet/transaction-status";
import { useWalletAccount } from "@/lib/hooks/useWalletAccount";


export interface GuardianCancelProps {
  targets: `0x${string}`[];
  values: string[];
  calldatas: Hex[];
  description: string;
}

/**
 * The guardian's remedy for a queued proposal the watchdog flagged: `cancel(id)` on the timelock
 * (the governor lets only a proposer cancel, and only before voting), signed by the connected
 * wallet. The wallet's CANCELLER_ROLE is checked first, so a wallet without it is told so in
 * words and nothing is sent.
 */
export function GuardianCancel({ targets, values, calldatas, description }: GuardianCancelProps) {
  const config = useConfig();
  const router = useRouter();
  const { contracts, chainId } = useDeployment();
  const { address, chainId: walletChainId, isConnected } = useWalletAccount();
  const [status, setStatus] = useState<TransactionStatus>({ kind: "idle" });
  const operation = timelockOperationId({ governor: contracts.governor, targets, values: values.map(BigInt), calldatas, descriptionHash: keccak256(stringToHex(description)) });

  async function cancel() {
    setStatus({ kind: "pending" });
    try {
      const timelock = { address: contracts.timelock, abi: backstopTimelockAbi } as const;
      const role = await readContract(config, { ...timelock, functionName: "CANCELLER_ROLE" });
      if (!(await readContract(config, { ...timelock, functionName: "hasRole", args: [role, address!] }))) {
        return setStatus({ kind: "failed", message: `your wallet ${address} does not hold the timelock's canceller role; only the guardian can cancel a queued proposal. Nothing was sent.` });
      }
      const receipt = await sendContractWrite(config, { ...timelock, functionName: "cancel", args: [operation], account: address! });
      setStatus({ kind: "confirmed", message: `Cancel: confirmed (${receipt.transactionHash.slice(0, 10)}…).` });
      router.refresh();
    } catch (error) {
      setStatus({ kind: "failed", message: describeWalletError(error) });
    }
  }

  if (!isConnected) return <p className="text-sm text-neutral-300">Connect the guardian&apos;s wallet (the timelock&apos;s canceller) to cancel it before it runs.</p>;
  if (walletChainId !== chainId) return <p role="alert" className="text-sm text-amber-300">Your wallet is on another network: switch to chain {chainId} to cancel.</p>;
  return (
    <div className="space-y-2">
      <button type="button" disabled={status.kind === "pending"} onClick={() => void cancel()} className="rounded border border-red-600 px-3 py-1.5 text-sm text-red-200 disabled:opacity-50">
        Cancel the queued proposal
      </button>
      <p className="break-all text-xs text-neutral-400">Sends cancel({operation}) to the timelock, from the guardian&apos;s wallet.</p>
      <TransactionStatusLine status={status} pending="Cancel" failed="Cancel failed" />
    </div>
  );
}
