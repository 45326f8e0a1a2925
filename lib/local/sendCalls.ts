/**
 * Sends many transactions to an anvil node fast: automine off, JSON-RPC batches, explicit
 * nonces and gas (no estimation against a state that does not exist yet), then mined in full
 * blocks, every receipt checked per block with `eth_getBlockReceipts` (unless unchecked, below).
 *
 * `mode: "strict"` fails on the first revert, naming the call; `mode: "lenient"` returns which
 * calls reverted (the parity test sends random trades and keeps whatever the chain accepted);
 * `mode: "unchecked"` reads no receipt, only each block's count of transactions, and leaves what
 * the calls did to the caller: a block's receipts are no small answer at a big venue (anvil took
 * 46.6 s for a block of 5,000 trades at 1,000,000 accounts, 175–199 ms for 500 at 100,000).
 */

import type { Address, Hex, PublicClient } from "viem";
import { BackstopError } from "../errors/backstopError.ts";

/** Transactions sent before mining them, unless told otherwise. */
const ROUND = 1000;

export interface Call {
  from: Address;
  to: Address;
  data: Hex;
  /** Said in the error when this call reverts. */
  label: string;
}

export interface SendCallsParameters {
  calls: Call[];
  mode?: "strict" | "lenient" | "unchecked";
  gasPerCall?: bigint;
  batchSize?: number;
  /** Transactions sent before they are mined (default ROUND): a round that the block's gas limit holds is mined as one block. */
  roundSize?: number;
  onProgress?: (sent: number, total: number) => void;
}

export interface SendCallsReturnType {
  sent: number;
  /** The calls that reverted, in mode lenient (strict throws at the first; unchecked does not know). */
  reverted: Call[];
}

export async function sendCalls(
  client: PublicClient,
  { calls, mode = "strict", gasPerCall = 3_000_000n, batchSize = 250, roundSize = ROUND, onProgress }: SendCallsParameters,
): Promise<SendCallsReturnType> {
  if (calls.length === 0) return { sent: 0, reverted: [] };
  const request = client.request as unknown as (args: { method: string; params: unknown[] }) => Promise<unknown>;
  const nonces = new Map<Address, number>();
  for (const from of new Set(calls.map((c) => c.from))) {
    nonces.set(from, await client.getTransactionCount({ address: from, blockTag: "pending" }));
  }
  await request({ method: "evm_setAutomine", params: [false] });
  const byHash = new Map<Hex, Call>();
  const reverted: Call[] = [];
  try {
    // Send a round, mine it, then the next: anvil drops what a large pool cannot place.
    for (let round = 0; round < calls.length; round += roundSize) {
      const roundCalls = calls.slice(round, round + roundSize);
      for (let i = 0; i < roundCalls.length; i += batchSize) {
        const chunk = roundCalls.slice(i, i + batchSize);
        const hashes = await Promise.all(
          chunk.map((call) => {
            const nonce = nonces.get(call.from)!;
            nonces.set(call.from, nonce + 1);
            const tx = { from: call.from, to: call.to, data: call.data, gas: `0x${gasPerCall.toString(16)}`, nonce: `0x${nonce.toString(16)}` };
            return request({ method: "eth_sendTransaction", params: [tx] }) as Promise<Hex>;
          }),
        );
        hashes.forEach((hash, k) => byHash.set(hash, chunk[k]!));
      }
      let mined = 0;
      while (mined < roundCalls.length) {
        // Blocks this full would raise the EIP-1559 base fee above what the queued transactions
        // offered, and anvil would drop them: bulk blocks are mined at base fee zero.
        await request({ method: "anvil_setNextBlockBaseFeePerGas", params: ["0x0"] });
        await request({ method: "evm_mine", params: [] });
        const receipts = mode === "unchecked" ? [] : ((await request({ method: "eth_getBlockReceipts", params: ["latest"] })) as { transactionHash: Hex; status: Hex }[]);
        const count = mode === "unchecked" ? Number(await request({ method: "eth_getBlockTransactionCountByNumber", params: ["latest"] })) : receipts.length;
        if (count === 0) {
          const pool = await request({ method: "txpool_status", params: [] });
          throw new BackstopError(`a mined block was empty with ${roundCalls.length - mined} transactions pending (txpool ${JSON.stringify(pool)})`);
        }
        for (const r of receipts) {
          if (r.status === "0x1") continue;
          const call = byHash.get(r.transactionHash);
          if (mode === "strict") {
            // Replaying on the state after the block usually reproduces the revert with its data.
            const reason = call
              ? await request({ method: "eth_call", params: [{ from: call.from, to: call.to, data: call.data }, "latest"] }).then(
                  () => "(does not revert when replayed)",
                  (e: unknown) => JSON.stringify((e as { cause?: { data?: unknown } }).cause?.data ?? (e as { data?: unknown }).data ?? String(e)),
                )
              : "";
            throw new BackstopError(`transaction reverted: ${call?.label ?? r.transactionHash} ${reason}`);
          }
          if (call) reverted.push(call);
        }
        mined += count;
      }
      onProgress?.(round + roundCalls.length, calls.length);
    }
  } finally {
    await request({ method: "evm_setAutomine", params: [true] });
  }
  return { sent: calls.length, reverted };
}
