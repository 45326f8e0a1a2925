/**
 * The API routes' inputs as zod schemas: what each query parameter and body may be, with the
 * message a caller sees when it is not. Routes parse with `parseQuery` / `parseRpcBody`.
 */

import { isAddress } from "viem";
import { z } from "zod";
import { NOTIFY_EVENT_KINDS } from "../notify/notifyEvent.ts";
import { WEBHOOK_FORMATS } from "../notify/webhookBody.ts";

const UINT256_MAX = 2n ** 256n - 1n;

/** A proposal id as the Governor has it: a uint256 in decimal digits. */
export const proposalIdParam = z
  .string({ error: "is required: a proposal id in decimal digits" })
  .regex(/^\d{1,78}$/, { error: "must be a proposal id: decimal digits only (no sign, no spaces, at most 78)", abort: true })
  .refine((s) => /^\d+$/.test(s) && BigInt(s) <= UINT256_MAX, { error: "is larger than any uint256 proposal id" });

/** An account address, any letter case. */
export const addressParam = z
  .string({ error: "is required: an address, 0x followed by 40 hexadecimal characters" })
  .refine((s) => isAddress(s, { strict: false }), { error: "must be an address: 0x followed by 40 hexadecimal characters" })
  .transform((s) => s.toLowerCase() as `0x${string}`);

/** GET /api/impact?proposal=ID&account=0x… */
export const impactQuery = z.object({ proposal: proposalIdParam, account: addressParam });
export const impactQueryKeys = ["proposal", "account"] as const;

/** GET /api/simulate?proposal=ID */
export const simulateQuery = z.object({ proposal: proposalIdParam });
export const simulateQueryKeys = ["proposal"] as const;

/**
 * POST /api/simulate: a draft's calls (the builder's, not yet proposed) to execute on a fork, as
 * the timelock: each a target, a value in wei (decimal digits) and calldata.
 */
export const simulateCallsBody = z.strictObject(
  {
    calls: z
      .array(
        z.strictObject({
          target: addressParam,
          value: z.string().regex(/^\d{1,78}$/, { error: "must be wei in decimal digits" }),
          calldata: z.string().regex(/^0x([0-9a-fA-F]{2})*$/, { error: "must be 0x followed by whole bytes in hexadecimal" }).max(65_536, { error: "is longer than 32 kB" }),
        }),
        { error: "must be a list of calls" },
      )
      .min(1, { error: "is empty: add at least one action" })
      .max(32, { error: "has more than 32 calls" }),
  },
  { error: (issue) => (issue.code === "unrecognized_keys" ? `has fields a simulation does not: ${issue.keys.join(", ")}` : "must be a JSON object with the calls") },
);

/** Routes that take no query parameters (accounts, block, snapshot). */
export const emptyQuery = z.object({});

/** The read methods /api/rpc forwards to the chain. Writes go through the user's wallet. */
export const RPC_READ_METHODS = [
  "eth_chainId",
  "eth_blockNumber",
  "eth_call",
  "eth_estimateGas",
  "eth_getBalance",
  "eth_getCode",
  "eth_getBlockByNumber",
  "eth_getBlockByHash",
  "eth_getTransactionByHash",
  "eth_getTransactionReceipt",
  "eth_getTransactionCount",
  "eth_getLogs",
  "eth_gasPrice",
  "eth_maxPriorityFeePerGas",
  "eth_feeHistory",
  "net_version",
] as const;

/** At most this many calls in one batch, and this many bytes of body. */
export const RPC_MAX_BATCH = 100;
export const RPC_MAX_BODY_BYTES = 1_000_000;

/** One JSON-RPC 2.0 request. The method is checked against the read list per call, not here. */
export const rpcCall = z.strictObject(
  {
    jsonrpc: z.literal("2.0", { error: 'must be "2.0"' }),
    id: z.union([z.string().max(256), z.number(), z.null()], { error: "must be a string, a number or null (at most 256 characters)" }).optional(),
    method: z.string({ error: "is required: the JSON-RPC method name" }).min(1, { error: "must not be empty" }).max(100, { error: "is longer than any JSON-RPC method name" }),
    params: z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())], { error: "must be an array or an object" }).optional(),
  },
  { error: (issue) => (issue.code === "unrecognized_keys" ? `has fields a JSON-RPC request does not: ${issue.keys.join(", ")}` : "must be a JSON-RPC request object") },
);

export const rpcBatch = z
  .array(rpcCall)
  .min(1, { error: "is empty: send at least one call" })
  .max(RPC_MAX_BATCH, { error: `has more than ${RPC_MAX_BATCH} calls` });
export type RpcCall = z.infer<typeof rpcCall>;

/** GET /api/drafts?author=0x… */
export const draftsQuery = z.object({ author: addressParam });
export const draftsQueryKeys = ["author"] as const;

/** At most this many bytes of a PUT /api/drafts/ID body: the content's limit and room for the rest. */
export const DRAFT_MAX_BODY_BYTES = 64_000;

/**
 * PUT /api/drafts/ID: the author's save, signed (lib/drafts/draftTypedData). `version` is the one
 * this save makes: 1 creates the draft, n + 1 follows version n.
 */
export const draftSaveBody = z.strictObject(
  {
    author: addressParam,
    chainId: z.number({ error: "is required: the chain id the signature is for" }).int().positive(),
    version: z.number({ error: "is required: the version this save makes (1 for a new draft)" }).int({ error: "must be a whole number" }).positive({ error: "must be 1 or more" }),
    content: z.string({ error: "is required: the draft's content as JSON text" }),
    signature: z.string({ error: "is required: the author's signature" }).regex(/^0x[0-9a-fA-F]+$/, { error: "must be 0x followed by hexadecimal digits" }).max(20_000, { error: "is longer than any signature" }),
  },
  { error: (issue) => (issue.code === "unrecognized_keys" ? `has fields a draft save does not: ${issue.keys.join(", ")}` : "must be a JSON object: author, chainId, version, content and signature") },
);
export type DraftSaveBody = z.infer<typeof draftSaveBody>;

/** POST /api/notifications/subscriptions: a webhook subscription to make (the URL is checked by checkWebhookUrl). */
export const subscriptionBody = z.strictObject(
  {
    name: z.string({ error: "is required: a name for the subscription" }).trim().min(1, { error: "must not be empty" }).max(80, { error: "is longer than 80 characters" }),
    url: z.string({ error: "is required: the receiver's http or https URL" }).max(2_000, { error: "is longer than 2,000 characters" }),
    format: z.enum(WEBHOOK_FORMATS, { error: `must be one of ${WEBHOOK_FORMATS.join(", ")}` }),
    events: z.array(z.enum(NOTIFY_EVENT_KINDS, { error: `must each be one of ${NOTIFY_EVENT_KINDS.join(", ")}` })).min(1, { error: "is empty: choose at least one event" }),
  },
  { error: (issue) => (issue.code === "unrecognized_keys" ? `has fields a subscription does not: ${issue.keys.join(", ")}` : "must be a JSON object") },
);

/** POST /api/notifications/session: the operator's sign-in. */
export const operatorSignInBody = z.strictObject({ token: z.string({ error: "is required" }).max(1_000, { error: "is too long" }) }, { error: "must be a JSON object with the token" });

/** A 0x-prefixed byte string (a signature, a vote's params). */
const bytesParam = (what: string, maxBytes: number) =>
  z
    .string({ error: `is required: ${what}, 0x followed by hexadecimal digits` })
    .regex(/^0x([0-9a-fA-F]{2})*$/, { error: `must be ${what}: 0x followed by an even number of hexadecimal digits` })
    .max(2 + 2 * maxBytes, { error: `is longer than ${maxBytes} bytes` })
    .transform((s) => s as `0x${string}`);

/** A uint256 in decimal digits (a nonce, an expiry). */
const uintParam = (what: string) =>
  z
    .string({ error: `is required: ${what} in decimal digits` })
    .regex(/^\d{1,78}$/, { error: `must be ${what}: decimal digits only`, abort: true })
    .refine((s) => BigInt(s) <= UINT256_MAX, { error: "is larger than a uint256" });

/** POST /api/relay/vote: a ballot the voter signed (EIP-712), for the relay to send. */
export const relayVoteBody = z.strictObject(
  {
    proposalId: proposalIdParam,
    support: z.union([z.literal(0), z.literal(1), z.literal(2)], { error: "must be 0 (Against), 1 (For) or 2 (Abstain)" }),
    voter: addressParam,
    nonce: uintParam("the governor's nonce for the voter"),
    /** Present (even empty): the voter signed an ExtendedBallot with this reason. */
    reason: z.string({ error: "must be text" }).max(2_000, { error: "is longer than 2,000 characters" }).optional(),
    params: bytesParam("the vote's params", 1_024).optional(),
    signature: bytesParam("the signature", 4_096),
  },
  { error: (issue) => (issue.code === "unrecognized_keys" ? `has fields a signed vote does not: ${issue.keys.join(", ")}` : "must be a JSON object") },
);

/** POST /api/relay/delegation: a delegation the holder signed (EIP-712), for the relay to send. */
export const relayDelegationBody = z.strictObject(
  {
    delegator: addressParam,
    delegatee: addressParam,
    nonce: uintParam("the token's nonce for the delegator"),
    expiry: uintParam("the expiry (chain time, seconds)"),
    signature: bytesParam("the signature", 65),
  },
  { error: (issue) => (issue.code === "unrecognized_keys" ? `has fields a signed delegation does not: ${issue.keys.join(", ")}` : "must be a JSON object") },
);

/** The most bytes a relay request's body may have. */
export const RELAY_MAX_BODY_BYTES = 16_000;
