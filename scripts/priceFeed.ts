/**
 * The demo's price feed: every `intervalMs` it moves each market's price by a small seeded
 * random step (σ ≈ 0.15 % a tick) and posts it to the oracle, as an operator would, so the
 * oracle never goes stale and the dashboard has something live to show. Collateral prices
 * follow their market where one exists (WETH follows ETH-PERP); USDC stays at $1.
 */

import { createPublicClient, createWalletClient, http, type Hex } from "viem";
import { clearinghouseLensAbi, priceOracleAbi } from "../lib/contracts/abis.ts";
import type { Deployment } from "../lib/contracts/deployment.ts";
import { seededRandom } from "../engine/math/random.ts";

export interface PriceFeedParameters {
  rpcUrl: string;
  deployment: Deployment;
  intervalMs: number;
  seed?: number;
  onError?: (error: unknown) => void;
}

export function startPriceFeed({ rpcUrl, deployment, intervalMs, seed = 7, onError = (e) => console.error("price feed:", e) }: PriceFeedParameters) {
  const rng = seededRandom(seed);
  const transport = http(rpcUrl);
  const publicClient = createPublicClient({ transport });
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      const [operator] = await createWalletClient({ transport }).getAddresses();
      const wallet = createWalletClient({ account: operator!, transport });
      const [markets, collaterals] = await Promise.all([
        publicClient.readContract({ address: deployment.contracts.lens, abi: clearinghouseLensAbi, functionName: "getMarkets" }),
        publicClient.readContract({ address: deployment.contracts.lens, abi: clearinghouseLensAbi, functionName: "getCollaterals" }),
      ]);
      const feeds: Hex[] = [];
      const prices: bigint[] = [];
      const steps = new Map<string, bigint>();
      for (const m of markets) {
        const step = BigInt(Math.round((1 + 0.0015 * rng.normal()) * 1e9));
        steps.set(m.symbol.replace(/-PERP$/, ""), step);
        feeds.push(m.feedId);
        prices.push((m.markPrice * step) / 1_000_000_000n);
      }
      for (const a of collaterals) {
        const step = steps.get(a.symbol.replace(/^W/, "")) ?? 1_000_000_000n;
        if (feeds.includes(a.feedId)) continue;
        feeds.push(a.feedId);
        prices.push((a.price * step) / 1_000_000_000n);
      }
      const hash = await wallet.writeContract({ address: deployment.contracts.oracle, abi: priceOracleAbi, functionName: "setPrices", args: [feeds, prices], chain: null });
      await publicClient.waitForTransactionReceipt({ hash });
    } catch (error) {
      onError(error);
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  return { stop: () => clearInterval(timer), tick };
}
