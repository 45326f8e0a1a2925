"use client";

import { useEffect, useState } from "react";
import { useConfig, useConnect, useDisconnect, useReconnect, useSwitchChain } from "wagmi";
import { useDeployment } from "./deployment-context";
import { describeWalletError } from "./wallet-errors";
import { useWalletAccount } from "@/lib/hooks/useWalletAccount";

const short = (a: string) => `${a.slice(0, 6)}…${a.slice(-4)}`;

/**
 * Connect, see the connected account, switch to the deployment's network when on another.
 *
 * A wallet that already trusts the site reconnects by itself on load. Until that attempt has
 * settled the control says so and offers nothing to click: a "Connect wallet" button that turns
 * into "Disconnect" under the pointer a moment later is a button nobody can press (the provider
 * runs with reconnectOnMount off, so this is the one place that reconnects, and knows when it is done).
 */
export function ConnectButton() {
  const { chainId } = useDeployment();
  const { address, chainId: walletChainId, isConnected } = useWalletAccount();
  const { connectors, connect, isPending, error: connectError, reset } = useConnect();
  const { disconnect } = useDisconnect();
  const { switchChain, isPending: switching, error: switchError } = useSwitchChain();
  const [open, setOpen] = useState(false);
  const { reconnect, isIdle: reconnectNotStarted, isPending: reconnecting } = useReconnect();
  const config = useConfig();
  useEffect(() => {
    // WagmiProvider's own mount effect (it runs after this one, being the parent) restores its
    // storage, registers the wallets found through EIP-6963 and, with reconnectOnMount off,
    // clears the connections it restored. The attempt must come after all of that: wait for the
    // storage to be restored, then a task more (the rest of that effect runs in microtasks).
    let timer: ReturnType<typeof setTimeout> | undefined;
    const start = () => (timer = setTimeout(() => reconnect()));
    // zustand's persist API on wagmi's store (its type does not resolve across zustand's copies).
    const { persist } = config._internal.store as unknown as { persist: { hasHydrated(): boolean; onFinishHydration(listener: () => void): () => void } };
    const off = persist.hasHydrated() ? (start(), undefined) : persist.onFinishHydration(start);
    return () => {
      off?.();
      clearTimeout(timer);
    };
  }, [config, reconnect]);
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
        <span className="hidden font-mono text-neutral-200 sm:inline" title={address}>{short(address)}</span>
        <button type="button" onClick={() => disconnect()} className="rounded border border-neutral-700 px-2 py-1 text-neutral-300 hover:bg-neutral-800">
          Disconnect
        </button>
      </div>
    );
  }
  if (reconnectNotStarted || reconnecting) {
    return (
      <button type="button" disabled aria-busy="true" className="whitespace-nowrap rounded border border-neutral-700 px-3 py-1 text-xs text-neutral-300">
        Checking wallet…
      </button>
    );
  }
  return (
    <div className="relative">
      <button type="button" onClick={() => (setOpen((o) => !o), reset())} aria-expanded={open} className="whitespace-nowrap rounded bg-emerald-700 px-3 py-1 text-xs font-medium text-white hover:bg-emerald-800">
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
