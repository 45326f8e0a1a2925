/**
 * A JSON-RPC proxy on 127.0.0.1 in front of a node, for fault tests: it can answer 503 as if the
 * chain were down, or add latency. Controlled over HTTP (`POST /__control {"down":true}` or
 * `{"latencyMs":500}`) so tests in other processes can drive it. It also counts what passes
 * through — HTTP requests and JSON-RPC calls by method, batches unpacked — for the load test.
 */

import { createServer, type Server } from "node:http";

export interface RpcProxyStats {
  /** HTTP requests forwarded (a JSON-RPC batch is one). */
  httpRequests: number;
  /** JSON-RPC calls by method. */
  calls: Record<string, number>;
}

export interface RpcProxy {
  url: string;
  stats(): RpcProxyStats;
  resetStats(): void;
  setDown(down: boolean): void;
  setLatency(ms: number): void;
  stop(): Promise<void>;
}

export async function startRpcProxy(target: string): Promise<RpcProxy> {
  let down = false;
  let latencyMs = 0;
  let stats: RpcProxyStats = { httpRequests: 0, calls: {} };
  const count = (body: Buffer) => {
    stats.httpRequests += 1;
    try {
      const parsed = JSON.parse(body.toString()) as { method?: unknown } | { method?: unknown }[];
      for (const call of Array.isArray(parsed) ? parsed : [parsed]) {
        const method = typeof call?.method === "string" ? call.method : "(invalid)";
        stats.calls[method] = (stats.calls[method] ?? 0) + 1;
      }
    } catch {
      stats.calls["(invalid)"] = (stats.calls["(invalid)"] ?? 0) + 1;
    }
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const body = Buffer.concat(chunks);
      if (req.url === "/__control") {
        const control = JSON.parse(body.toString() || "{}") as { down?: boolean; latencyMs?: number };
        if (control.down !== undefined) down = control.down;
        if (control.latencyMs !== undefined) latencyMs = control.latencyMs;
        res.writeHead(204).end();
        return;
      }
      count(body);
      if (latencyMs) await new Promise((r) => setTimeout(r, latencyMs));
      if (down) {
        res.writeHead(503, { "content-type": "text/plain" }).end("chain down (test proxy)");
        return;
      }
      try {
        const upstream = await fetch(target, { method: "POST", headers: { "content-type": "application/json" }, body });
        res.writeHead(upstream.status, { "content-type": "application/json", "access-control-allow-origin": "*" }).end(Buffer.from(await upstream.arrayBuffer()));
      } catch {
        res.writeHead(502).end("upstream unreachable");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    stats: () => ({ httpRequests: stats.httpRequests, calls: { ...stats.calls } }),
    resetStats: () => void (stats = { httpRequests: 0, calls: {} }),
    setDown: (value) => void (down = value),
    setLatency: (ms) => void (latencyMs = ms),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Drives a proxy started in another process. */
export async function controlRpcProxy(url: string, control: { down?: boolean; latencyMs?: number }) {
  const response = await fetch(`${url}/__control`, { method: "POST", body: JSON.stringify(control) });
  if (!response.ok) throw new Error(`the RPC proxy refused the control: ${response.status}`);
}
