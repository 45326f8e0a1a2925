import { methodsNotAllowed } from "@/lib/api/apiError";
import { parseRpcBody } from "@/lib/api/parseRpcBody";
import { readBodyText } from "@/lib/api/readBodyText";
import { RPC_MAX_BODY_BYTES, RPC_READ_METHODS, type RpcCall } from "@/lib/api/schemas";
import { chainConfig } from "@/lib/env";
import { rpcAnswerWire, type RpcAnswerWire } from "@/lib/api/wire";
import { z } from "zod";

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

type RpcAnswer = RpcAnswerWire;

/** What the node may answer a batch: one answer per call, or one error for the batch as a whole. */
const upstreamBody = z.union([z.array(z.unknown()), rpcAnswerWire]);

const refusal = (id: RpcAnswer["id"] | undefined, code: number, message: string): RpcAnswer => ({ jsonrpc: "2.0", id: id ?? null, error: { code, message } });
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
  // Read with the JSON-RPC schema: an answer of another shape is no answer (that call says so).
  const answers = new Map<number, RpcAnswer>();
  const parsed = upstreamBody.safeParse(body);
  if (!parsed.success) return answers;
  if (Array.isArray(parsed.data)) {
    for (const item of parsed.data) {
      const answer = rpcAnswerWire.safeParse(item);
      if (answer.success && typeof answer.data.id === "number") answers.set(answer.data.id, answer.data);
    }
  } else if (parsed.data.error) {
    // The node refused the batch as a whole: every call gets its reason.
    const refusedBatch = parsed.data;
    calls.forEach((_, i) => answers.set(i, refusedBatch));
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
