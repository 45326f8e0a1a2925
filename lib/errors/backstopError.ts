/**
 * The one error base, for lib/, the CLI and the scripts: the engine's BackstopError (short message
 * for users, optional details, cause), re-exported here so application code imports its errors from
 * lib/errors. shortMessageOf reads the short sentence of ours and of viem's errors alike.
 */

export { BackstopError, type BackstopErrorOptions } from "../../engine/errors.ts";

/**
 * What a caught value says, short: an error's `shortMessage` (ours, or viem's, whose `message`
 * goes on with the request, the URL and a stack of causes), else its message; anything else as a
 * string.
 */
export function shortMessageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const short = (error as { shortMessage?: unknown }).shortMessage;
  return typeof short === "string" && short ? short : error.message;
}
