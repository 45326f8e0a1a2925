/**
 * The viem chain object for a Backstop deployment: Multicall3 declared, so batched reads go
 * through one eth_call instead of one request per read. Pass the deployment's own Multicall3 on
 * a chain where it is not at its canonical address (`npm run deploy` records where it is).
 */

import { defineChain, type Address } from "viem";

export const MULTICALL3 = "0xcA11bde05977b3631167028862bE2a173976CA11" as const;

export function backstopChain(chainId: number, rpcUrl: string, multicall3: Address = MULTICALL3) {
  return defineChain({
    id: chainId,
    name: chainId === 31337 ? "Local (anvil)" : `Chain ${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
    contracts: { multicall3: { address: multicall3 } },
  });
}
