/**
 * localNodeTransport against a real anvil, through a relay on 127.0.0.1 that counts the
 * eth_getLogs in flight, notes the ranges and blocks asked, and holds the answers of both 50 ms (so
 * requests sent at once would overlap). rangesByGas and shareLogStrings on made-up figures and logs (pure functions).
 */

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPublicClient, createWalletClient, http, type Hex, type PublicClient } from "viem";
import { foundry } from "viem/chains";
import { startAnvil, type AnvilInstance } from "../local/anvil.ts";
import { LATEST_RECHECK_MS, LOGS_PART_NOTE, localNodeTransport, rangesByGas, shareLogStrings } from "./localNodeTransport.ts";

/** Init code whose constructor emits one log (LOG0 of no data) and deploys nothing: PUSH1 0, PUSH1 0, LOG0, STOP. */
const EMITS_A_LOG: Hex = "0x60006000a000";

let anvil: AnvilInstance;
let relay: Server;
let relayUrl: string;
let direct: PublicClient;
/** eth_getLogs in flight now and at most; and, for each other method, how many were in flight when it came. */
const inFlight = { now: 0, most: 0, atOthers: [] as [string, number][], ranges: [] as string[], blockAsks: [] as string[] };

beforeAll(async () => {
  anvil = await startAnvil();
  direct = createPublicClient({ chain: foundry, transport: http(anvil.rpcUrl) });
  const wallet = createWalletClient({ chain: foundry, transport: http(anvil.rpcUrl) });
  const [from] = await wallet.getAddresses();
  for (let i = 0; i < 3; i++) await direct.waitForTransactionReceipt({ hash: await wallet.sendTransaction({ account: from!, data: EMITS_A_LOG, chain: foundry }) });
  relay = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", async () => {
      const parsed = JSON.parse(body) as { method: string; params: [{ fromBlock: string; toBlock: string }] } | { method: string }[];
      const method = Array.isArray(parsed) ? `batch of ${parsed[0]?.method}` : parsed.method;
      const logs = method === "eth_getLogs";
      if (!logs) inFlight.atOthers.push([method, inFlight.now]);
      else if (!Array.isArray(parsed) && "params" in parsed) inFlight.ranges.push(`${Number(parsed.params[0].fromBlock)}-${Number(parsed.params[0].toBlock)}`);
      if (method === "eth_getBlockByNumber") inFlight.blockAsks.push(JSON.stringify((parsed as { params: unknown }).params));
      if (logs) inFlight.most = Math.max(inFlight.most, ++inFlight.now);
      const answer = await fetch(anvil.rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body }).then((r) => r.text());
      if (logs || method === "eth_getBlockByNumber") await new Promise((r) => setTimeout(r, 50));
      if (logs) inFlight.now--;
      res.writeHead(200, { "content-type": "application/json" }).end(answer);
    });
  });
  await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", resolve));
  relayUrl = `http://127.0.0.1:${(relay.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => relay?.close(resolve));
  await anvil?.stop();
});

describe("rangesByGas (made-up gas figures)", () => {
  it("joins consecutive blocks up to the limit and leaves a bigger block alone", () => {
    expect(rangesByGas(10, [1n, 1n, 5n, 1n], 3n)).toEqual([[10, 11], [12, 12], [13, 13]]);
    expect(rangesByGas(0, [1n, 2n, 3n, 3n], 3n)).toEqual([[0, 1], [2, 2], [3, 3]]);
    expect(rangesByGas(7, [0n, 0n, 0n], 3n)).toEqual([[7, 9]]);
    expect(rangesByGas(7, [], 3n)).toEqual([]);
  });
});

describe("shareLogStrings (made-up logs)", () => {
  const hash = (n: number) => `0x${String(n).padStart(64, "0")}`;
  const made = JSON.stringify([1, 2, 3].map((i) => ({ address: "0x00000000000000000000000000000000000000aa", blockHash: hash(9), transactionHash: hash(i % 2), topics: [hash(7), hash(100 + i)], data: "0x", logIndex: `0x${i}`, removed: false })));

  it("gives back the same logs, in place, with the same values", () => {
    const logs = JSON.parse(made) as unknown[];
    expect(shareLogStrings(logs)).toBe(logs);
    expect(logs).toEqual(JSON.parse(made));
  });

  it("leaves what is not a list of logs as it is", () => {
    expect(shareLogStrings(null)).toBeNull();
    expect(shareLogStrings({ error: "no" })).toEqual({ error: "no" });
    expect(shareLogStrings([null, 5, { topics: "not a list", address: 7 }])).toEqual([null, 5, { topics: "not a list", address: 7 }]);
  });
});

describe("localNodeTransport", () => {
  it("asks for a range's logs in parts of at most the gas limit, answers as the node does for the whole range, and says when each part has come", async () => {
    // Each block holds one deployment of ~53,000 gas: a limit of 60,000 asks for each alone, the default for all three at once.
    for (const [limit, ranges, notes] of [
      [60_000n, ["1-1", "2-2", "3-3"], [1, 2, 3].map((b) => `${LOGS_PART_NOTE} blocks 1–3, part ${b} of 3 (blocks ${b}–${b}): 1 log`)],
      [undefined, ["1-3"], []],
    ] as const) {
      const noted: string[] = [];
      const client = createPublicClient({ chain: foundry, transport: localNodeTransport(relayUrl, { ...(limit === undefined ? {} : { logsGasPerRequest: limit }), note: (line) => noted.push(line) }) });
      inFlight.ranges.length = 0;
      const logs = await client.getLogs({ fromBlock: 1n, toBlock: 3n });
      expect(inFlight.ranges).toEqual(ranges);
      expect(noted).toEqual(notes);
      expect(logs).toEqual(await direct.getLogs({ fromBlock: 1n, toBlock: 3n }));
      expect(logs.map((l) => l.blockNumber)).toEqual([1n, 2n, 3n]);
    }
  });

  it("sends eth_getLogs one at a time, in the order asked, with the node's answers", async () => {
    const client = createPublicClient({ chain: foundry, transport: localNodeTransport(relayUrl) });
    inFlight.most = 0;
    const blocks = [1n, 2n, 3n];
    const answers = await Promise.all(blocks.map((b) => client.getLogs({ fromBlock: b, toBlock: b })));
    expect(inFlight.most).toBe(1);
    expect(answers.map((logs) => logs.map((l) => l.blockNumber))).toEqual([[1n], [2n], [3n]]);
    expect(answers).toEqual(await Promise.all(blocks.map((b) => direct.getLogs({ fromBlock: b, toBlock: b }))));
  });

  it("lets other methods pass while logs are asked, and goes on after a refused eth_getLogs", async () => {
    const client = createPublicClient({ chain: foundry, transport: localNodeTransport(relayUrl) });
    inFlight.atOthers.length = 0;
    const refused = client.request({ method: "eth_getLogs", params: [{ fromBlock: "0xnot-a-block" }] } as never);
    const next = client.getLogs({ fromBlock: 1n, toBlock: 3n });
    while (inFlight.now === 0) await new Promise((r) => setTimeout(r, 5));
    const head = client.getBlockNumber({ cacheTime: 0 });
    await expect(refused).rejects.toThrow();
    expect(await next).toHaveLength(3);
    expect(await head).toBe(3n);
    // The block number came to the node while the refused eth_getLogs was out: it did not queue behind it.
    expect(inFlight.atOthers.filter(([method]) => method === "eth_blockNumber")).toEqual([["eth_blockNumber", 1]]);
  });

  it("asks the node once for a block asked for again while the first ask is out, and gives each caller its own answer", async () => {
    const client = createPublicClient({ chain: foundry, transport: localNodeTransport(relayUrl) });
    inFlight.blockAsks.length = 0;
    const [other, ...latest] = await Promise.all([
      client.request({ method: "eth_getBlockByNumber", params: ["0x1", false] }),
      ...[0, 1, 2, 3].map(() => client.request({ method: "eth_getBlockByNumber", params: ["latest", false] })),
    ]);
    expect([...inFlight.blockAsks].sort()).toEqual(['["0x1",false]', '["latest",false]']);
    expect(latest.map((b) => b?.number)).toEqual(["0x3", "0x3", "0x3", "0x3"]);
    expect(latest[1]).not.toBe(latest[0]);
    expect(other?.number).toBe("0x1");
    // Once answered, the next ask is a new request.
    await client.request({ method: "eth_getBlockByNumber", params: ["latest", false] });
    expect(inFlight.blockAsks.filter((ask) => ask === '["latest",false]')).toHaveLength(2);
  });

  it("answers Ponder's poll of the head with its transactions from the last full answer while the head's number stands, for LATEST_RECHECK_MS", async () => {
    const client = createPublicClient({ chain: foundry, transport: localNodeTransport(relayUrl) });
    const poll = () => client.request({ method: "eth_getBlockByNumber", params: ["latest", true] });
    const fullAsks = () => inFlight.blockAsks.filter((ask) => ask === '["latest",true]').length;
    const node = (method: string) => fetch(anvil.rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: [] }) }).then((r) => r.json() as Promise<{ result: string }>);
    inFlight.blockAsks.length = 0;
    const first = await poll();
    const again = [await poll(), await poll(), await poll()];
    expect(fullAsks()).toBe(1);
    for (const block of again) {
      expect(block).toEqual(first);
      expect(block).not.toBe(first); // each caller its own (Ponder writes into the blocks it is given)
    }
    expect(first?.transactions).toEqual((await direct.getBlock({ blockTag: "latest", includeTransactions: true })).transactions.map((t) => expect.objectContaining({ hash: t.hash })));
    const { result: snapshot } = await node("evm_snapshot");
    try {
      // A new block is asked for at once.
      await node("evm_mine");
      expect((await poll())?.number).toBe("0x4");
      expect(fullAsks()).toBe(2);
      // The same head, once the full answer is LATEST_RECHECK_MS old, is asked for again: another block at the same height would show.
      await new Promise((r) => setTimeout(r, LATEST_RECHECK_MS + 50));
      expect((await poll())?.number).toBe("0x4");
      expect(fullAsks()).toBe(3);
    } finally {
      await fetch(anvil.rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "evm_revert", params: [snapshot] }) });
    }
  });
});
