import { afterAll, beforeAll, expect, it } from "vitest";
import { createPublicClient, createWalletClient, http, parseEther, WaitForTransactionReceiptTimeoutError, type Hash } from "viem";
import { waitForTransactionReceipt } from "viem/actions";
import { foundry } from "viem/chains";
import { startAnvil, type AnvilInstance } from "../local/anvil.ts";
import { startRpcProxy, type RpcProxy } from "../testing/rpcProxy.ts";
import { waitForReceipt } from "./waitForReceipt.ts";

let anvil: AnvilInstance;
let proxy: RpcProxy;

beforeAll(async () => {
  anvil = await startAnvil();
  proxy = await startRpcProxy(anvil.rpcUrl);
});

afterAll(async () => {
  await proxy?.stop();
  await anvil?.stop();
});

/** A transfer sent to the node, mined (automine), and its receipt there; the chain then stays quiet: no block after it. */
async function minedTransfer(): Promise<Hash> {
  const wallet = createWalletClient({ chain: foundry, transport: http(anvil.rpcUrl) });
  const [from, to] = await wallet.getAddresses();
  const hash = await wallet.sendTransaction({ account: from!, to: to!, value: parseEther("0.01") });
  await expect.poll(() => createPublicClient({ chain: foundry, transport: http(anvil.rpcUrl) }).getTransactionReceipt({ hash }).catch(() => null)).not.toBeNull();
  return hash;
}

// The dashboard reads through the proxy, which says "no receipt yet" twice after the block is out.
const reader = () => createPublicClient({ chain: foundry, transport: http(proxy.url) });

it("a receipt the node gives only after showing its block is found without waiting for another block (viem alone waits for one: on a quiet chain it never comes)", async () => {
  const before = await minedTransfer();
  proxy.control({ receiptsLate: 2 });
  await expect(waitForTransactionReceipt(reader(), { hash: before, timeout: 3_000 })).rejects.toBeInstanceOf(WaitForTransactionReceiptTimeoutError);

  const hash = await minedTransfer();
  const blocks = await reader().getBlockNumber();
  proxy.control({ receiptsLate: 2 });
  const receipt = await waitForReceipt(reader(), { hash, pollMs: 200 });
  expect(receipt.transactionHash).toBe(hash);
  expect(receipt.status).toBe("success");
  expect(await reader().getBlockNumber()).toBe(blocks); // no block came to unblock it
});

it("a receipt given at once is taken at once", async () => {
  const hash = await minedTransfer();
  const receipt = await waitForReceipt(reader(), { hash, pollMs: 60_000 });
  expect(receipt.transactionHash).toBe(hash);
});
