/**
 * parseVoteReason(raw) — the optional reason sent with a vote. It is stored in the VoteCast event
 * for good, and every byte costs the voter gas, so it is bounded: at most VOTE_REASON_MAX_BYTES
 * in UTF-8 (about two pages of text).
 */

export const VOTE_REASON_MAX_BYTES = 4_096;

export type ParseVoteReasonReturnType = { ok: true; reason: string } | { ok: false; field: "reason"; message: string };

export function parseVoteReason(raw: string): ParseVoteReasonReturnType {
  const reason = raw.trim();
  const bytes = new TextEncoder().encode(reason).length;
  if (bytes > VOTE_REASON_MAX_BYTES) return { ok: false, field: "reason", message: `Reason: ${bytes.toLocaleString("en-US")} bytes is too long; at most ${VOTE_REASON_MAX_BYTES.toLocaleString("en-US")} (it is stored on chain and costs gas)` };
  return { ok: true, reason };
}
