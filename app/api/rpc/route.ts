import { methodsNotAllowed } from "@/lib/api/apiError";
import { parseRpcBody } from "@/lib/api/parseRpcBody";
import { readBodyText } from "@/lib/api/readBodyText";
import { RPC_MAX_BODY_BYTES, RPC_READ_METHODS, type RpcCall } from "@/lib/api/schemas";
import { chainConfig } from "@/lib/env";

export const dynamic = "force-dynamic";

/**
 * The browser's read path to the chain: JSON-RPC forwarded to the server-side RPC URL (which
 * never reaches the client bundle), for read methods only. Writes go through the user's wallet.
 *
 * Answers stay JSON-RPC 2.0 (viem reads them): a body that is not a request is refused whole with
 * 400 (-32700 not JSON, -32600 not a request; 413 when too large); a method that is not a read
 * is refused per call (-32601) while the rest of the batch is forwarded. Calls go upstream with
 * ids of our own, so any id the caller chose (or repeated) comes back on its own answer.
 */
const readMethods: ReadonlySet<string> = new Set(RPC_READ_METHODS);

type RpcAnswer = { jsonrpc: "2.0"; id: unknown; result?: unknown; error?: { code: number; message: string; data?: unknown } };

const refusal = (id: unknown, code: number, message: string): RpcAnswer => ({ jsonrpc: "2.0", id: id ?? null, error: { code, message } });
const refused = (status: number, code: number, message: string) => Response.json(refusal(null, code, message), { status, headers: { "cache-control": "no-store" } });

async function forward(calls: RpcCall[]): Promise<Map<number, RpcAnswer> | "unreachable"> {
  const upstreamCalls = calls.map((c, i) => ({ jsonrpc: "2.0", id: i, method: c.method, params: c.params ?? [] }));
  let body: unknown;
  try {
    const response = await fetch(chainConfig().rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(upstreamCalls) });
    body = await response.json();
  } catch {
    return "unreachable";
  }
  const answers = new Map<number, RpcAnswer>();
  if (Array.isArray(body)) {
    for (const answer of body as RpcAnswer[]) if (typeof answer?.id === "number") answers.set(answer.id, answer);
  } else if (body && typeof body === "object" && "error" in body) {
    // The node refused the batch as a whole: every call gets its reason.
    calls.forEach((_, i) => answers.set(i, body as RpcAnswer));
  }
  return answers;
}

export async function POST(request: Request) {
  const read = await readBodyText(request, RPC_MAX_BODY_BYTES);
  if (!read.ok) return refused(413, -32600, read.error);
  const parsed = parseRpcBody(read.text);
  if (!parsed.ok) return refused(400, parsed.error.startsWith("the body is not JSON") || parsed.error.startsWith("the body is empty") ? -32700 : -32600, parsed.error);
  const allowed = parsed.calls.filter((c) => readMethods.has(c.method));
  const upstream = allowed.length ? await forward(allowed) : new Map<number, RpcAnswer>();
  if (upstream === "unreachable") return refused(503, -32603, "the chain cannot be reached");
  const answers = parsed.calls.map((c): RpcAnswer => {
    const index = allowed.indexOf(c);
    if (index === -1) return refusal(c.id, -32601, `${c.method} is not a read method this endpoint forwards (writes go through your wallet)`);
    const answer = upstream.get(index);
    return answer ? { ...answer, id: c.id ?? null } : refusal(c.id, -32603, "no answer from the chain");
  });
  return Response.json(parsed.batch ? answers : answers[0], { headers: { "cache-control": "no-store" } });
}

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed("/api/rpc", ["POST"]);
