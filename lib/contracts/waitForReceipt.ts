/**
 * The receipt of a sent transaction, for the dashboard's wallet writes and the keeper.
 *
 * viem's waitForTransactionReceipt asks for the receipt once, then again at each new block. A
 * node that shows the transaction's block before its receipt — anvil does, now and then
 * (foundry-rs/foundry#10944), and so does the dashboard's node when it is a block behind the
 * wallet's — answers at that block with nothing, and the wait then lasts until the block after:
 * on a quiet chain, or a test chain that mines on demand, forever (wagmi sets no timeout). A
 * governance test's Execute stayed "pending" that way. So the receipt is also asked for every
 * `pollMs` until one of the two finds it. viem's wait stays for what it does besides: a
 * transaction the wallet replaced (sped up, cancelled) ends with its replacement's receipt.
 */

import type { Chain, Client, Hash, TransactionReceipt, Transport } from "viem";
import { getTransactionReceipt, waitForTransactionReceipt } from "viem/actions";

/** How often the receipt is asked for besides at each new block. */
export const RECEIPT_POLL_MS = 1000;

/** Resolves after `ms`, or at once when `signal` aborts. */
const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });

export async function waitForReceipt(client: Client<Transport, Chain | undefined>, { hash, pollMs = RECEIPT_POLL_MS }: { hash: Hash; pollMs?: number }): Promise<TransactionReceipt> {
  const done = new AbortController();
  const polled = async (): Promise<TransactionReceipt> => {
    for (;;) {
      await pause(pollMs, done.signal);
      if (done.signal.aborted) return new Promise<never>(() => {}); // viem's wait settled: no last ask
      // Not mined yet, or the node cannot be reached this time: the next turn, or viem's wait, says.
      const receipt = await getTransactionReceipt(client, { hash }).catch(() => undefined);
      if (receipt) return receipt;
    }
  };
  try {
    return await Promise.race([waitForTransactionReceipt(client, { hash, signal: done.signal }), polled()]);
  } finally {
    done.abort();
  }
}
