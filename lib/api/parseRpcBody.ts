/**
 * parseRpcBody(text) — the body of a POST /api/rpc: one JSON-RPC 2.0 request or a batch of
 * them, or the first thing wrong with it in one sentence (where, then what). The method list is
 * not checked here: a batch may mix read methods with refused ones, each answered on its own.
 */

import { rpcBatch, rpcCall, RPC_MAX_BODY_BYTES, type RpcCall } from "./schemas.ts";
import { quote } from "./parseQuery.ts";

export type ParseRpcBodyReturnType = { ok: true; calls: RpcCall[]; batch: boolean } | { ok: false; error: string };

export function parseRpcBody(text: string): ParseRpcBodyReturnType {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > RPC_MAX_BODY_BYTES) return { ok: false, error: `the body is ${bytes} bytes; at most ${RPC_MAX_BODY_BYTES} are accepted` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: text.trim() === "" ? "the body is empty: send a JSON-RPC request" : `the body is not JSON (it starts ${quote(text.slice(0, 20))})` };
  }
  const batch = Array.isArray(json);
  const result = batch ? rpcBatch.safeParse(json) : rpcCall.safeParse(json);
  if (result.success) return { ok: true, calls: batch ? (result.data as RpcCall[]) : [result.data as RpcCall], batch };
  const issue = result.error.issues[0]!;
  const where = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
  return { ok: false, error: `${batch ? "batch" : "request"}${where} ${issue.message}` };
}
