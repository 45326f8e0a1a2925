import { describe, expect, it } from "vitest";
import { syntheticSnapshot } from "../../engine/testing/syntheticVenue.ts";
import { accountsWire } from "../api/wire.ts";
import { accountsBody, computeBlockViews } from "./views.ts";

const concat = (chunks: readonly Uint8Array[]) => new TextDecoder().decode(Buffer.concat(chunks));

describe("the accounts body the block worker serialises", () => {
  const snapshot = syntheticSnapshot(40, { seed: 7 });
  const views = computeBlockViews(snapshot);

  it("parses with the wire schema the browser reads it with, one row per account", () => {
    const body = accountsWire.parse(JSON.parse(new TextDecoder().decode(views.accountsJson.identity)));
    expect(body.blockHash).toBe(snapshot.blockHash);
    expect(body.blockNumber).toBe(snapshot.blockNumber.toString());
    expect(body.stale).toBeNull();
    expect(body.rows.map((r) => r.address)).toEqual(snapshot.accounts.map((a) => a.address));
  });

  it("with a stale mark still parses, and carries the reason", () => {
    const stale = { reason: "the chain cannot be reached", sinceMs: 1_700_000_000_000, forSeconds: 12 };
    const body = accountsWire.parse(JSON.parse(concat(accountsBody(snapshot, stale, views.accountRowsJson))));
    expect(body.stale).toEqual(stale);
    expect(body.rows).toHaveLength(snapshot.accounts.length);
  });
});
