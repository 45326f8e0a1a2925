"use client";

import { useState } from "react";
import { useAccount, useConnect, useDisconnect, useSwitchChain } from "wagmi";
import { useDeployment } from "./deployment-context";
import { describeWalletError } from "./wallet-errors";

const short = (a: string) => `${a.slice(0, 6)}…${a.slice(-4)}`;

/** Connect, see the connected account, switch to the deployment's network when on another. */
export function ConnectButton() {
  const { chainId } = useDeployment();
  const { address, chainId: walletChainId, isConnected } = useAccount();
  const { connectors, connect, isPending, error: connectError, reset } = useConnect();
  const { disconnect } = useDisconnect();
  const { switchChain, isPending: switching, error: switchError } = useSwitchChain();
  const [open, setOpen] = useState(false);
  const wallets = connectors.filter((c) => c.type === "injected" && (c.id !== "injected" || connectors.length === 1));

  if (isConnected && address) {
    if (walletChainId !== chainId) {
      return (
        <div className="flex items-center gap-2">
          <span role="alert" className="text-xs text-amber-300">Wrong network ({walletChainId}): Backstop is on chain {chainId}.</span>
          <button type="button" onClick={() => switchChain({ chainId })} disabled={switching} className="rounded border border-amber-600 px-2 py-1 text-xs text-amber-200">
            Switch network
          </button>
          {switchError ? <span role="alert" className="text-xs text-red-300">{describeWalletError(switchError)}</span> : null}
        </div>
      );
    }
    return (
      <div className="flex items-center gap-2 text-xs">
        <span className="font-mono text-neutral-200" title={address}>{short(address)}</span>
        <button type="button" onClick={() => disconnect()} className="rounded border border-neutral-700 px-2 py-1 text-neutral-300 hover:bg-neutral-800">
          Disconnect
        </button>
      </div>
    );
  }
  return (
    <div className="relative">
      <button type="button" onClick={() => (setOpen((o) => !o), reset())} aria-expanded={open} className="rounded bg-emerald-600 px-3 py-1 text-xs font-medium text-white hover:bg-emerald-500">
        Connect wallet
      </button>
      {open ? (
        <div className="absolute right-0 z-20 mt-2 w-64 space-y-2 rounded-lg border border-neutral-700 bg-neutral-900 p-3 shadow-xl">
          {wallets.length === 0 ? (
            <p role="alert" className="text-xs text-neutral-300">No wallet found in this browser. Install one (MetaMask, Rabby, Coinbase Wallet…) and reload.</p>
          ) : (
            wallets.map((c) => (
              <button key={c.uid} type="button" disabled={isPending} onClick={() => connect({ connector: c, chainId }, { onSuccess: () => setOpen(false) })} className="block w-full rounded border border-neutral-700 px-2 py-1.5 text-left text-sm hover:bg-neutral-800">
                {c.name}
              </button>
            ))
          )}
          {connectError ? <p role="alert" className="text-xs text-red-300">{describeWalletError(connectError)}</p> : null}
        </div>
      ) : null}
    </div>
  );
}
