/**
 * The viem chain object for a Backstop deployment: Multicall3 declared, so batched reads go
 * through one eth_call instead of one request per read. Pass the deployment's own Multicall3 on
 * a chain where it is not at its canonical address (`npm run deploy` records where it is).
 */

import { defineChain, type Address } from "viem";

export const MULTICALL3 = "0xcA11bde05977b3631167028862bE2a173976CA11" as const;

/**
 * The largest JSON-RPC answer our node clients read (viem http's `maxResponseBodySize`): V8's
 * longest string. viem's default, 10 MB, is less than a busy block of a big venue: at 1,000,000
 * accounts with 1 % of them trading, a block's receipts were 17.5 MB, and its logs come near.
 */
export const MAX_RPC_ANSWER_BYTES = 2 ** 29 - 24;

export function backstopChain(chainId: number, rpcUrl: string, multicall3: Address = MULTICALL3) {
  return defineChain({
    id: chainId,
    name: chainId === 31337 ? "Local (anvil)" : `Chain ${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
    contracts: { multicall3: { address: multicall3 } },
  });
}
