/**
 * The API's responses, one zod schema each, shared by the routes that send them (lib/server,
 * app/api) and the browser code that reads them (lib/query, components). Each type is the
 * schema's `z.infer`: a route builds its body `satisfies` the type, and the browser parses what
 * it receives with the schema (fetchApiJson(path, schema)), so a body of another shape is a clear
 * ApiError naming the field, never a crash deep in a component. Client code never imports a
 * server module, even for a type.
 *
 * Not here: GET /api/snapshot answers the engine's own serialisation (engine/serialize, exact
 * bigints), which its reader (fromJson) checks; POST /api/rpc answers JSON-RPC 2.0, read by viem.
 */

import { z } from "zod";

// Parse without zod's JIT: it compiles object parsers with `new Function`, which the dashboard's
// Content-Security-Policy (no 'unsafe-eval') blocks and reports as a violation on every page
// that parses a response. Set before any schema below is built (zod reads it per schema).
z.config({ jitless: true });

/** 0x and hexadecimal digits. */
const hex = z.custom<`0x${string}`>((v) => typeof v === "string" && /^0x[0-9a-fA-F]*$/.test(v), { error: "must be 0x followed by hexadecimal digits" });
/** An account or contract address, any letter case. */
const address = z.custom<`0x${string}`>((v) => typeof v === "string" && /^0x[0-9a-fA-F]{40}$/.test(v), { error: "must be an address: 0x followed by 40 hexadecimal characters" });
/** A non-negative integer that may exceed 2^53 (block numbers, timestamps, gas): decimal digits. */
const uintString = z.string().regex(/^\d+$/, { error: "must be a whole number in decimal digits" });

/** Every error answer of every route: `{ error: "a sentence" }` (lib/api/apiError). */
export const apiErrorWire = z.object({ error: z.string() });
export type ApiErrorWire = z.infer<typeof apiErrorWire>;

/** Why the server's snapshot is older than the chain's head, and since when (null while it is current). */
export const staleWire = z.object({ reason: z.string(), sinceMs: z.number(), forSeconds: z.number() }).nullable();
export type StaleWire = z.infer<typeof staleWire>;

/** GET /api/block: the block the server's snapshot is at. */
export const blockWire = z.object({
  blockNumber: uintString,
  blockHash: hex,
  timestamp: uintString,
  stale: staleWire,
});
export type BlockWire = z.infer<typeof blockWire>;

/** One row of the accounts table, plain JSON. */
export const accountRowWire = z.object({
  address,
  equityUsd: z.number(),
  notionalUsd: z.number(),
  health: z.number().nullable(),
  leverage: z.number().nullable(),
  /** Nearest liquidation price among its positions, as a signed fraction of that market's mark. */
  distanceToLiquidation: z.number().nullable(),
  markets: z.array(z.string()),
  adlLight: z.number().nullable(),
  liquidatable: z.boolean(),
});
export type AccountRow = z.infer<typeof accountRowWire>;

/** GET /api/accounts: every account's row at the server's block. */
export const accountsWire = z.object({
  blockNumber: uintString,
  blockHash: hex,
  stale: staleWire,
  rows: z.array(accountRowWire),
});
export type AccountsWire = z.infer<typeof accountsWire>;

/** One account as GET /api/impact shows it: health, and per position its liquidation price and ADL light. */
export const impactAccountWire = z.object({
  health: z.number().nullable(),
  liquidatable: z.boolean(),
  positions: z.array(z.object({ market: z.string(), liquidationPrice: z.number().nullable(), adlLight: z.number().nullable() })),
});
export type ImpactAccountWire = z.infer<typeof impactAccountWire>;

/** GET /api/impact: one account today and if the proposal passes (null: no such account). */
export const impactWire = z.object({ before: impactAccountWire.nullable(), after: impactAccountWire.nullable() });
export type ImpactWire = z.infer<typeof impactWire>;

/** GET /api/simulate: a proposal executed on a fork (lib/fork/simulateProposal), amounts as decimal strings. */
export const simulationWire = z.object({
  forkBlock: uintString,
  executes: z.boolean(),
  calls: z.array(
    z.object({
      target: address,
      status: z.enum(["success", "reverted", "not run"]),
      revert: z.string().optional(),
      gasUsed: uintString,
      events: z.array(z.string().nullable()),
    }),
  ),
  stateChanges: z.array(z.object({ what: z.string(), before: z.string(), after: z.string() })),
  newlyLiquidatable: z.array(address),
  blindSpots: z.array(z.string()),
  storageChanges: z.array(z.object({ address, knownAs: z.string().optional(), slot: hex, before: hex, after: hex })),
  contracts: z.array(z.object({ address, knownAs: z.string().optional(), codeHash: hex })),
  movements: z.array(z.object({ asset: z.string(), from: address, to: address, amount: uintString })),
  roleChanges: z.array(z.object({ contract: address, knownAs: z.string().optional(), role: z.string(), account: address, change: z.enum(["granted", "revoked"]) })),
  gasUsed: uintString,
});
export type SimulationWire = z.infer<typeof simulationWire>;

/**
 * One JSON-RPC 2.0 answer, as POST /api/rpc sends it and as it reads the node's: a result or an
 * error with a code and a message. Fields beyond these are kept (passthrough: the node's own).
 */
export const rpcAnswerWire = z.looseObject({
  jsonrpc: z.literal("2.0"),
  id: z.union([z.string(), z.number(), z.null()]),
  result: z.unknown().optional(),
  error: z.looseObject({ code: z.number(), message: z.string(), data: z.unknown().optional() }).optional(),
});
export type RpcAnswerWire = z.infer<typeof rpcAnswerWire>;

/** POST /api/relay/vote, /api/relay/delegation and GET /api/relay/requests/<digest>: a relayed signature as logged. */
export const relayRequestWire = z.object({
  digest: hex,
  kind: z.enum(["vote", "delegation"]),
  signer: address,
  status: z.enum(["sending", "pending", "mined", "reverted"]),
  txHash: hex.nullable(),
  gasUsed: uintString.nullable(),
  spentWei: uintString.nullable(),
  /** True when an earlier request brought the same signature: this is its transaction. */
  duplicate: z.boolean(),
});
export type RelayRequestWire = z.infer<typeof relayRequestWire>;
