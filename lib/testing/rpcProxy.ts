/**
 * A JSON-RPC proxy on 127.0.0.1 in front of a node, for fault tests. It can
 * - answer 503 to everything, as if the chain were down (`down`),
 * - fail the next N requests with 503 and then pass again (`failNext`), a flapping node,
 * - add latency to every request (`latencyMs`), a slow node,
 * - answer the next N eth_getTransactionReceipt calls with null (`receiptsLate`), as a node does
 *   that shows a block before its receipts (anvil, now and then: foundry-rs/foundry#10944) or
 *   that is a block behind the wallet's node,
 * - refuse an eth_call at a block before `statesFrom` with an invalid-parameters error (-32602),
 *   as anvil `--prune-history` refuses one at a block whose state it let go of (calls alone, not
 *   in a batch),
 * and it counts the JSON-RPC requests it receives and the calls in them by method, batches
 * unpacked (`GET /__stats`), so a test can see retries stop at their bound and the load test can
 * count reads. Controlled over HTTP (`POST /__control {"down":true}`, `{"latencyMs":500}`,
 * `{"failNext":3}`, `{"receiptsLate":2}`, `{"statesFrom":120}`, `{"resetStats":true}`) so tests in other processes can drive it.
 */

import { createServer, type Server } from "node:http";

export interface RpcProxyControl {
  down?: boolean;
  latencyMs?: number;
  failNext?: number;
  receiptsLate?: number;
  /** The oldest block whose state the node answers eth_calls at (0: every block). */
  statesFrom?: number;
  resetStats?: boolean;
}

export interface RpcProxyStats {
  /** JSON-RPC requests received (control requests not counted), failed or not. */
  requests: number;
  /** Of those, answered with 503 by the proxy itself. */
  failed: number;
  /** Of those, over: answered (after the latency set; failed or passed on), or given up by the client. */
  answered: number;
  /** JSON-RPC calls by method (a batch counts each of its calls). */
  calls: Record<string, number>;
  /** Calls whose JSON contains each marker given at start (e.g. a function selector). */
  marked: Record<string, number>;
}

export interface RpcProxy {
  url: string;
  control(control: RpcProxyControl): void;
  stats(): RpcProxyStats;
  setDown(down: boolean): void;
  setLatency(ms: number): void;
  stop(): Promise<void>;
}

/** A JSON-RPC call as the proxy reads it. */
interface RpcCall {
  id?: unknown;
  method?: unknown;
  params?: unknown;
}

export async function startRpcProxy(target: string, { markers = {} }: { markers?: Record<string, string> } = {}): Promise<RpcProxy> {
  let down = false;
  let latencyMs = 0;
  let failNext = 0;
  let receiptsLate = 0;
  let statesFrom = 0;
  const none = (): RpcProxyStats => ({ requests: 0, failed: 0, answered: 0, calls: {}, marked: {} });
  const stats = none();
  const control = (c: RpcProxyControl) => {
    if (c.down !== undefined) down = c.down;
    if (c.latencyMs !== undefined) latencyMs = Math.max(0, c.latencyMs);
    if (c.failNext !== undefined) failNext = Math.max(0, c.failNext);
    if (c.receiptsLate !== undefined) receiptsLate = Math.max(0, c.receiptsLate);
    if (c.statesFrom !== undefined) statesFrom = Math.max(0, c.statesFrom);
    if (c.resetStats) Object.assign(stats, none());
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const body = Buffer.concat(chunks);
      if (req.url === "/__control") {
        try {
          control(JSON.parse(body.toString() || "{}") as RpcProxyControl);
          res.writeHead(204).end();
        } catch {
          res.writeHead(400).end("the control body is not JSON");
        }
        return;
      }
      if (req.url === "/__stats") {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(stats));
        return;
      }
      stats.requests++;
      res.once("close", () => stats.answered++);
      let pruned: { id?: unknown; block: string } | undefined;
      try {
        const parsed = JSON.parse(body.toString()) as RpcCall | RpcCall[];
        for (const call of Array.isArray(parsed) ? parsed : [parsed]) {
          const method = typeof call?.method === "string" ? call.method : "(invalid)";
          const block = method === "eth_call" && Array.isArray(call.params) ? call.params[1] : undefined;
          // A call alone, not in a batch (viem's http transport batches nothing unless told to).
          if (!Array.isArray(parsed) && typeof block === "string" && block.startsWith("0x") && Number(block) < statesFrom) pruned = { id: call.id, block };
          stats.calls[method] = (stats.calls[method] ?? 0) + 1;
          const text = JSON.stringify(call).toLowerCase();
          for (const [name, marker] of Object.entries(markers)) if (text.includes(marker.toLowerCase())) stats.marked[name] = (stats.marked[name] ?? 0) + 1;
        }
      } catch {
        stats.calls["(invalid)"] = (stats.calls["(invalid)"] ?? 0) + 1;
      }
      if (latencyMs) await new Promise((r) => setTimeout(r, latencyMs));
      if (pruned && !down && failNext === 0) {
        const error = { code: -32602, message: `state at block ${Number(pruned.block)} is pruned: this node keeps states from block ${statesFrom} (test proxy)` };
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", id: pruned.id ?? null, error }));
        return;
      }
      if (down || failNext > 0) {
        if (failNext > 0) failNext--;
        stats.failed++;
        res.writeHead(503, { "content-type": "text/plain" }).end("chain down (test proxy)");
        return;
      }
      try {
        const upstream = await fetch(target, { method: "POST", headers: { "content-type": "application/json" }, body });
        const answer = Buffer.from(await upstream.arrayBuffer());
        res.writeHead(upstream.status, { "content-type": "application/json", "access-control-allow-origin": "*" }).end(receiptsLate > 0 ? withReceiptsLate(body, answer) : answer);
      } catch {
        res.writeHead(502).end("upstream unreachable");
      }
    });
  });
  /** The node's answer with the receipts it gave, while `receiptsLate` lasts, replaced by null (not mined yet, as far as it says). */
  const withReceiptsLate = (request: Buffer, answer: Buffer): Buffer => {
    try {
      const calls = JSON.parse(request.toString()) as { id?: unknown; method?: unknown } | { id?: unknown; method?: unknown }[];
      const late = new Set((Array.isArray(calls) ? calls : [calls]).filter((c) => c.method === "eth_getTransactionReceipt").map((c) => c.id));
      if (late.size === 0) return answer;
      const answers = JSON.parse(answer.toString()) as { id?: unknown; result?: unknown } | { id?: unknown; result?: unknown }[];
      for (const a of Array.isArray(answers) ? answers : [answers]) {
        if (receiptsLate > 0 && late.has(a.id) && a.result) {
          a.result = null;
          receiptsLate--;
        }
      }
      return Buffer.from(JSON.stringify(answers));
    } catch {
      return answer;
    }
  };
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    control,
    stats: () => ({ ...stats, calls: { ...stats.calls }, marked: { ...stats.marked } }),
    setDown: (value) => control({ down: value }),
    setLatency: (ms) => control({ latencyMs: ms }),
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Drives a proxy started in another process. */
export async function controlRpcProxy(url: string, control: RpcProxyControl) {
  const response = await fetch(`${url}/__control`, { method: "POST", body: JSON.stringify(control) });
  if (!response.ok) throw new Error(`the RPC proxy refused the control: ${response.status}`);
}

/** The request counts of a proxy started in another process. */
export async function rpcProxyStats(url: string): Promise<RpcProxyStats> {
  const response = await fetch(`${url}/__stats`);
  if (!response.ok) throw new Error(`the RPC proxy did not give its stats: ${response.status}`);
  return (await response.json()) as RpcProxyStats;
}
