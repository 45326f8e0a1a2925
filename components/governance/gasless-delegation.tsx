"use client";

import { useBytecode, useConfig, useSignTypedData } from "wagmi";
import { readContract } from "wagmi/actions";
import { backstopTokenAbi } from "@/lib/contracts/abis";
import { parseDelegateTarget } from "@/lib/forms/parseDelegateTarget";
import { useRelay } from "@/lib/hooks/useRelay";
import { fetchLatestBlock } from "@/lib/query/latestBlock";
import { useWalletAccount } from "@/lib/hooks/useWalletAccount";
import { delegationTypedData, domainOf, type Eip712DomainTuple } from "@/lib/relay/relayTypedData";
import { useDeployment } from "@/components/wallet/deployment-context";
import { describeWalletError } from "@/components/wallet/wallet-errors";
import { RelayStatusLine } from "./relay-status";

/** How long a signed delegation stays valid: the relay sends it at once, this only bounds a leaked one. */
const EXPIRY_SECONDS = 3_600n;

/**
 * Delegate without gas: the wallet signs the token's delegation (EIP-712) and Backstop's relay
 * sends it. The token's delegateBySig takes only a key's (ECDSA) signature, as ERC-20 Votes
 * defines it: a contract wallet is told so and delegates with a transaction instead.
 */
export function GaslessDelegation({ target, onDelegated }: { target: string; onDelegated: () => void }) {
  const config = useConfig();
  const { contracts } = useDeployment();
  const { address } = useWalletAccount();
  const { signTypedDataAsync } = useSignTypedData();
  const { progress, relay } = useRelay(describeWalletError);
  const { data: code } = useBytecode({ address, query: { enabled: Boolean(address) } });
  const token = { address: contracts.governanceToken, abi: backstopTokenAbi } as const;

  if (code && code !== "0x") {
    return <p className="text-xs text-neutral-400">Your wallet is a contract, so it cannot delegate without gas: the token&apos;s delegateBySig accepts only a key&apos;s (ECDSA) signature, as ERC-20 Votes defines it. Delegate with a transaction above; votes without gas do work from a contract wallet (ERC-1271).</p>;
  }

  async function delegate(to: string) {
    const sent = await relay("/api/relay/delegation", async () => {
      const parsed = parseDelegateTarget(to);
      if (!parsed.ok) throw new Error(parsed.message);
      const [domain, nonce, block] = await Promise.all([readContract(config, { ...token, functionName: "eip712Domain" }), readContract(config, { ...token, functionName: "nonces", args: [address!] }), fetchLatestBlock()]);
      const delegation = { delegatee: parsed.delegatee, nonce, expiry: BigInt(block.timestamp) + EXPIRY_SECONDS };
      const signature = await signTypedDataAsync({ account: address!, ...delegationTypedData(domainOf(domain as Eip712DomainTuple), delegation) });
      return { delegator: address!, delegatee: parsed.delegatee, nonce: nonce.toString(), expiry: delegation.expiry.toString(), signature };
    });
    if (sent) onDelegated();
  }

  const busy = progress.kind === "pending";
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        <span className="text-xs text-neutral-400">Or sign, and Backstop&apos;s relay sends it and pays the gas:</span>
        <button type="button" disabled={busy} onClick={() => delegate(address!)} className="rounded border border-emerald-700 px-3 py-1.5 text-sm text-emerald-200 disabled:opacity-50">
          Delegate to myself without gas
        </button>
        <button type="button" disabled={busy} onClick={() => delegate(target)} className="rounded border border-neutral-600 px-3 py-1.5 text-sm text-neutral-200 disabled:opacity-50">
          Delegate without gas
        </button>
      </div>
      <RelayStatusLine progress={progress} what="Delegate without gas" />
    </div>
  );
}
