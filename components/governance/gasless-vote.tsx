"use client";

import { useRouter } from "next/navigation";
import { useBytecode, useConfig, useSignTypedData } from "wagmi";
import { readContract } from "wagmi/actions";
import { backstopGovernorAbi } from "@/lib/contracts/abis";
import { parseVoteReason } from "@/lib/forms/parseVoteReason";
import { useRelay } from "@/lib/hooks/useRelay";
import { useWalletAccount } from "@/lib/hooks/useWalletAccount";
import { ballotTypedData, domainOf, type Eip712DomainTuple } from "@/lib/relay/relayTypedData";
import { useDeployment } from "@/components/wallet/deployment-context";
import { describeWalletError } from "@/components/wallet/wallet-errors";
import { RelayStatusLine } from "./relay-status";

const CHOICES = [
  { support: 1, label: "Vote For without gas", tone: "border-emerald-600 text-emerald-200" },
  { support: 0, label: "Vote Against without gas", tone: "border-red-600 text-red-200" },
  { support: 2, label: "Abstain without gas", tone: "border-neutral-600 text-neutral-200" },
] as const;

/**
 * Vote without gas: the wallet signs the governor's ballot (EIP-712; a contract wallet answers
 * for it through ERC-1271) and Backstop's relay sends it, paying the gas. The reason, when
 * given, goes with the vote (an ExtendedBallot).
 */
export function GaslessVote({ proposalId, reason }: { proposalId: string; reason: string }) {
  const config = useConfig();
  const router = useRouter();
  const { contracts } = useDeployment();
  const { address } = useWalletAccount();
  const { signTypedDataAsync } = useSignTypedData();
  const { progress, relay } = useRelay(describeWalletError);
  const { data: code } = useBytecode({ address, query: { enabled: Boolean(address) } });
  const governor = { address: contracts.governor, abi: backstopGovernorAbi } as const;

  async function vote(support: 0 | 1 | 2) {
    const parsed = parseVoteReason(reason);
    const sent = await relay("/api/relay/vote", async () => {
      if (!parsed.ok) throw new Error(parsed.message);
      const [domain, nonce] = await Promise.all([readContract(config, { ...governor, functionName: "eip712Domain" }), readContract(config, { ...governor, functionName: "nonces", args: [address!] })]);
      const withReason = parsed.reason ? { reason: parsed.reason } : {};
      const ballot = { proposalId: BigInt(proposalId), support, voter: address!, nonce, ...withReason };
      const signature = await signTypedDataAsync({ account: address!, ...(ballotTypedData(domainOf(domain as Eip712DomainTuple), ballot) as Parameters<typeof signTypedDataAsync>[0]) });
      return { proposalId, support, voter: address!, nonce: nonce.toString(), ...withReason, signature };
    });
    if (sent) router.refresh();
  }

  const busy = progress.kind === "pending";
  return (
    <div className="space-y-2 rounded border border-neutral-800 p-3">
      <p className="text-xs text-neutral-400">
        Vote without gas: your wallet signs the vote and Backstop&apos;s relay sends it, paying the gas.{code && code !== "0x" ? " Your wallet is a contract: it signs through ERC-1271, which the governor accepts." : ""}
      </p>
      <div className="flex flex-wrap gap-2">
        {CHOICES.map((c) => (
          <button key={c.label} type="button" disabled={busy} onClick={() => vote(c.support)} className={`rounded border px-3 py-1.5 text-sm disabled:opacity-50 ${c.tone}`}>
            {c.label}
          </button>
        ))}
      </div>
      <RelayStatusLine progress={progress} what="Vote without gas" />
    </div>
  );
}
