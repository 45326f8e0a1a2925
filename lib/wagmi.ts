/**
 * wagmi for the browser: the deployment's chain, injected wallets (EIP-6963 discovery finds
 * every installed wallet), reads through the dashboard's own /api/rpc (the RPC URL stays on the
 * server), cookie storage so the server render already knows the connection (SSR-safe).
 */

import type { Address } from "viem";
import { cookieStorage, createConfig, createStorage, http } from "wagmi";
import { injected } from "wagmi/connectors";

import { backstopChain } from "./chain.ts";
import { RPC_TRANSPORT_RETRY } from "./query/retry.ts";

export function createWagmiConfig(chainId: number, multicall3?: Address) {
  const chain = backstopChain(chainId, "/api/rpc", multicall3);
  return createConfig({
    chains: [chain],
    connectors: [injected()],
    transports: { [chain.id]: http("/api/rpc", RPC_TRANSPORT_RETRY) },
    multiInjectedProviderDiscovery: true,
    ssr: true,
    storage: createStorage({ storage: cookieStorage }),
  });
}

export type WagmiConfig = ReturnType<typeof createWagmiConfig>;
