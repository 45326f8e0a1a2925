/**
 * What the browser may be told about a server-side failure. The RPC URL is server-side
 * configuration — providers put API keys in its path or query — yet viem's errors quote it
 * ("URL: https://…/v2/<key>") and so did our own. Every message that leaves the server goes
 * through here: viem's short message instead of its full details, and any occurrence of the
 * configured URL (or of its origin) replaced by a neutral name.
 */

import { shortMessageOf } from "../errors/backstopError.ts";

export function publicErrorMessage(error: unknown, env: NodeJS.ProcessEnv = process.env): string {
  const raw = shortMessageOf(error);
  const configured = env.BACKSTOP_RPC_URL || "http://127.0.0.1:8545";
  const secrets = [configured];
  try {
    secrets.push(new URL(configured).host);
  } catch {
    // not a URL: the whole value is replaced, nothing more to hide
  }
  return secrets.reduce((message, secret) => message.split(secret).join("the configured RPC endpoint"), raw);
}
