import { chainConfig } from "@/lib/env";

export const dynamic = "force-dynamic";

/**
 * The browser's read path to the chain: JSON-RPC forwarded to the server-side RPC URL (which
 * never reaches the client bundle), for read methods only. Writes go through the user's wallet.
 */
const READ_METHODS = new Set([
  "eth_chainId",
  "eth_blockNumber",
  "eth_call",
  "eth_estimateGas",
  "eth_getBalance",
  "eth_getCode",
  "eth_getBlockByNumber",
  "eth_getBlockByHash",
  "eth_getTransactionByHash",
  "eth_getTransactionReceipt",
  "eth_getTransactionCount",
  "eth_getLogs",
  "eth_gasPrice",
  "eth_maxPriorityFeePerGas",
  "eth_feeHistory",
  "net_version",
]);

type RpcRequest = { jsonrpc?: string; id?: unknown; method?: unknown; params?: unknown };

function refusal(request: RpcRequest, message: string) {
  return { jsonrpc: "2.0", id: request?.id ?? null, error: { code: -32601, message } };
}

export async function POST(request: Request) {
  let body: RpcRequest | RpcRequest[];
  try {
    body = (await request.json()) as RpcRequest | RpcRequest[];
  } catch {
    return Response.json({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "the request body is not JSON" } }, { status: 400 });
  }
  const calls = Array.isArray(body) ? body : [body];
  if (calls.length === 0 || calls.length > 100) return Response.json(refusal({}, "send between 1 and 100 calls"), { status: 400 });
  const allowed = calls.filter((c) => typeof c === "object" && c !== null && typeof c.method === "string" && READ_METHODS.has(c.method));
  const upstream = allowed.length
    ? await fetch(chainConfig().rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(allowed) })
        .then(async (r) => (r.ok ? ((await r.json()) as unknown[]) : null))
        .catch(() => null)
    : [];
  if (upstream === null) return Response.json(refusal(calls[0]!, "the chain cannot be reached"), { status: 503 });
  const byId = new Map((upstream as { id: unknown }[]).map((r) => [JSON.stringify(r.id), r]));
  const answers = calls.map((c) =>
    allowed.includes(c) ? byId.get(JSON.stringify(c.id)) ?? refusal(c, "no answer from the chain") : refusal(c, `${typeof c?.method === "string" ? c.method : "that method"} is not a read method this endpoint forwards`),
  );
  return Response.json(Array.isArray(body) ? answers : answers[0]);
}
