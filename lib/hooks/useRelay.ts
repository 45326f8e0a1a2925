"use client";

import { useState } from "react";
import { relayRequestWire, type RelayRequestWire } from "../api/wire.ts";
import { ApiError, fetchApiJson } from "../query/fetchApi.ts";

/** Where a relayed signature is, as the page says it: the message of each step is the caller's. */
export type RelayProgress = { kind: "idle" } | { kind: "pending"; step: "signing" | "sent"; txHash?: `0x${string}` } | { kind: "confirmed"; request: RelayRequestWire } | { kind: "failed"; message: string };

const POLL_MS = 1_000;

/**
 * Sends a signed message to a relay route (POST /api/relay/vote or /delegation) and follows its
 * transaction until mined or reverted (GET /api/relay/requests/<digest>): pending → mined, as a
 * wallet transaction's status line shows it. A refusal arrives as the route's sentence; any other
 * failure (the wallet refused to sign) as `describeError` words it.
 */
export function useRelay(describeError: (error: unknown) => string) {
  const [progress, setProgress] = useState<RelayProgress>({ kind: "idle" });

  async function relay(path: "/api/relay/vote" | "/api/relay/delegation", sign: () => Promise<object>): Promise<RelayRequestWire | undefined> {
    setProgress({ kind: "pending", step: "signing" });
    try {
      const body = await sign();
      let request = await fetchApiJson(path, relayRequestWire, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      while (request.status === "sending" || request.status === "pending") {
        setProgress({ kind: "pending", step: "sent", txHash: request.txHash ?? undefined });
        await new Promise((r) => setTimeout(r, POLL_MS));
        request = { ...(await fetchApiJson(`/api/relay/requests/${request.digest}`, relayRequestWire)), duplicate: request.duplicate };
      }
      if (request.status === "reverted") {
        setProgress({ kind: "failed", message: `the relay's transaction ${request.txHash} reverted on chain` });
        return undefined;
      }
      setProgress({ kind: "confirmed", request });
      return request;
    } catch (error) {
      setProgress({ kind: "failed", message: error instanceof ApiError ? error.message : describeError(error) });
      return undefined;
    }
  }

  return { progress, relay, reset: () => setProgress({ kind: "idle" }) };
}
