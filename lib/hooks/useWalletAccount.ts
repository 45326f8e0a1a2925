"use client";

import { useSyncExternalStore } from "react";
import { useAccount } from "wagmi";

const noSubscription = () => () => {};

/** False while React hydrates server HTML (and on the server), true from the first client render after. */
export function useHydrated(): boolean {
  return useSyncExternalStore(noSubscription, () => true, () => false);
}

/**
 * The connected wallet, as `useAccount`, but disconnected until the component has hydrated.
 * The header reconnects a trusted wallet as soon as it has hydrated, while the page below may
 * still be hydrating (its content streams in a Suspense boundary): a component that read the
 * live connection there would render a form where the server rendered "Connect a wallet", and
 * React would throw the page away and render it again (a hydration mismatch), losing any click
 * that landed in between.
 */
export function useWalletAccount() {
  const account = useAccount();
  const hydrated = useHydrated();
  return hydrated ? account : { ...account, address: undefined, isConnected: false as const };
}
