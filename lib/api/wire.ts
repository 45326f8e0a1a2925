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

/**
 * GET /api/accounts: one page of the accounts the query selects (lib/api/accountsQuery), with
 * how many accounts there are and how many the query matched.
 */
export const accountsWire = z.object({
  blockNumber: uintString,
  blockHash: hex,
  stale: staleWire,
  total: z.number(),
  matched: z.number(),
  offset: z.number(),
  rows: z.array(accountRowWire),
});
export type AccountsWire = z.infer<typeof accountsWire>;

/** One block of the system's history (lib/server/history): USD figures as floats, a chart's precision. */
export const historyPointWire = z.object({
  blockNumber: uintString,
  /** Block time, unix seconds. */
  timestamp: z.number(),
  insuranceFundUsd: z.number(),
  defaultFundUsd: z.number(),
  badDebtUsd: z.number(),
  cover2Usd: z.number(),
  totalEquityUsd: z.number(),
  liquidatable: z.number(),
  withPositions: z.number(),
  healthP10: z.number().nullable(),
  healthP50: z.number().nullable(),
  /** The longest a liquidatable account had waited for its liquidation, in blocks (null: none waiting, or not known). */
  keeperLagBlocks: z.number().nullable(),
  markets: z.array(z.object({ symbol: z.string(), openInterestUsd: z.number(), oiCapUsd: z.number() })),
});
export type HistoryPointWire = z.infer<typeof historyPointWire>;

/** GET /api/history?range=: the system's figures over a range, oldest first (empty before the first recorded block). */
export const historyWire = z.object({ range: z.string(), points: z.array(historyPointWire) });
export type HistoryWire = z.infer<typeof historyWire>;

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

/** A draft's id: 32 lower-case hexadecimal characters (16 random bytes, made by the author's browser). */
export const draftId = z.string().regex(/^[0-9a-f]{32}$/, { error: "must be a draft id: 32 lower-case hexadecimal characters" });

/** At most this many bytes of a draft's content: far beyond any proposal a person writes. */
export const DRAFT_MAX_CONTENT_BYTES = 48_000;

/**
 * What a draft holds: the proposal builder's title, description and actions, each action its
 * "What" menu entry and its fields as typed (lib/forms/buildProposal's BuilderAction). Stored and
 * signed as the exact JSON text the author's browser wrote, so the hash the author signed is the
 * hash of what is stored.
 */
export const draftContentWire = z.strictObject({
  title: z.string().max(300, { error: "is longer than 300 characters" }),
  body: z.string().max(20_000, { error: "is longer than 20,000 characters" }),
  actions: z
    .array(z.strictObject({ option: z.string().max(100), values: z.record(z.string().max(100), z.string().max(10_000)) }))
    .max(50, { error: "has more than 50 actions" }),
});
export type DraftContentWire = z.infer<typeof draftContentWire>;

/** GET or PUT /api/drafts/ID: one draft, its content as the author last signed it. */
export const draftWire = z.object({
  id: draftId,
  author: address,
  version: z.number().int().positive(),
  content: draftContentWire,
  updatedAt: z.string(),
});
export type DraftWire = z.infer<typeof draftWire>;

/** GET /api/drafts?author=0x…: an author's drafts, most recently saved first. */
export const draftListWire = z.object({
  drafts: z.array(z.object({ id: draftId, title: z.string(), version: z.number().int().positive(), updatedAt: z.string() })),
});
export type DraftListWire = z.infer<typeof draftListWire>;

/**
 * A Safe{Wallet} Transaction Builder batch file (safe-global/safe-react-apps, apps/tx-builder,
 * typings/models.ts: BatchFile), as far as Backstop reads one: version "1.0", the chain, and the
 * transactions — each a call by `to`, `value` (wei, decimal) and `data`, or by `contractMethod`
 * with `contractInputsValues` when the file was written from an ABI without data.
 */
const safeContractInput: z.ZodType<{ name: string; type: string; internalType?: string; components?: unknown[] }> = z.looseObject({
  name: z.string(),
  type: z.string(),
  internalType: z.string().optional(),
  components: z.array(z.lazy(() => safeContractInput)).optional(),
});
export const safeBatchFileWire = z.looseObject({
  version: z.literal("1.0", { error: 'must be "1.0", the Transaction Builder format Backstop reads' }),
  chainId: z.string({ error: "is required: the chain id as a decimal string" }).regex(/^\d+$/, { error: "must be the chain id in decimal digits" }),
  createdAt: z.number({ error: "is required: when the file was made, in milliseconds since 1970" }),
  meta: z.looseObject({
    name: z.string({ error: "is required: the batch's name" }),
    description: z.string().optional(),
    txBuilderVersion: z.string().optional(),
    createdFromSafeAddress: z.string().optional(),
    createdFromOwnerAddress: z.string().optional(),
    checksum: z.string().optional(),
  }),
  transactions: z
    .array(
      z.looseObject({
        to: address,
        value: z.string({ error: "is required: wei in decimal digits" }).regex(/^\d+$/, { error: "must be wei in decimal digits" }),
        data: z.union([hex, z.null()]).optional(),
        contractMethod: z.looseObject({ name: z.string(), inputs: z.array(safeContractInput), payable: z.boolean() }).optional(),
        contractInputsValues: z.record(z.string(), z.string()).nullable().optional(),
      }),
      { error: "is required: the list of transactions" },
    )
    .min(1, { error: "is empty: the batch has no transactions" }),
});
export type SafeBatchFileWire = z.infer<typeof safeBatchFileWire>;

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
