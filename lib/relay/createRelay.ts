/**
 * The relay: a voter's signed ballot or delegation, checked against the operator's rules and
 * sent by the relay's own key, which pays the gas (OpenZeppelin 5: the governor's
 * `castVoteBySig` / `castVoteWithReasonAndParamsBySig`, whose SignatureChecker takes a key's
 * signature or a contract wallet's ERC-1271 answer; the token's `delegateBySig`, ECDSA only).
 *
 * Every request goes through, in order: the log (a digest already there is answered with its
 * transaction, not sent again), the gas price ceiling, one vote per proposal, what the contract
 * would say (simulated first, so a bad signature costs nothing), the minimum voting power, then
 * — in one database transaction — the rate limit per address, the budget and the claim of the
 * digest. The claim is an insert under unique constraints (the digest; a vote's contract,
 * proposal and voter), so two identical requests arriving together send one transaction whoever
 * wins, and the budget and rate limit are counted under an advisory lock on Postgres (PGlite
 * runs one transaction at a time). A request that would be refused while an identical one,
 * running alongside, has claimed the digest (and so voted, or used the nonce) is answered with
 * that one's transaction instead.
 *
 * Budget: the spend of mined transactions plus, for those not yet mined, the most they may cost
 * (gas limit × max fee). Example: a budget of 1 ETH, 0.2 ETH spent, one vote pending that may cost
 * 0.001 ETH: a vote estimated at 112,000 gas at 80 gwei (0.00896 ETH) is sent; at 8,000 gwei
 * (0.896 ETH) it is refused.
 */

import { BaseError, ContractFunctionRevertedError, createWalletClient, custom, formatEther, formatGwei, formatUnits, getAddress, parseSignature, recoverTypedDataAddress, type Address, type Hex, type PublicClient, type TypedDataDomain } from "viem";
import { nonceManager, privateKeyToAccount } from "viem/accounts";
import { backstopGovernorAbi, backstopTokenAbi } from "../contracts/abis.ts";
import type { Database, Queryable } from "../db/database.ts";
import { describeRevert, revertDataOf } from "../errors/describeRevert.ts";
import { BackstopError } from "../errors/backstopError.ts";
import type { RelayRules } from "./relayConfig.ts";
import { ballotDigest, delegationDigest, delegationTypedData, domainOf, type Eip712DomainTuple, type SignedDelegation, type SignedVote } from "./relayTypedData.ts";

/** The rules a request can be refused by, as the API and the page name them. */
/** "signature": not the signer's (or a contract wallet's, where only a key's is taken); "contract": the governor or token would revert. */
export type RelayRule = "budget" | "minimum voting power" | "one vote per proposal" | "rate limit" | "gas price ceiling" | "signature" | "contract";

export type RelayStatus = "sending" | "pending" | "mined" | "reverted";

export interface RelayRequestRecord {
  digest: Hex;
  kind: "vote" | "delegation";
  signer: Address;
  status: RelayStatus;
  txHash: Hex | null;
  gasUsed: bigint | null;
  spentWei: bigint | null;
}

export type RelayOutcome = { ok: true; request: RelayRequestRecord; duplicate: boolean } | { ok: false; rule: RelayRule; message: string };

export interface CreateRelayParameters {
  db: Database;
  client: PublicClient;
  relayerKey: Hex;
  contracts: { governor: Address; governanceToken: Address };
  rules: RelayRules;
}

export interface Relay {
  relayer: Address;
  rules: RelayRules;
  relayVote(vote: SignedVote & { signature: Hex }): Promise<RelayOutcome>;
  relayDelegation(delegation: SignedDelegation & { delegator: Address; signature: Hex }): Promise<RelayOutcome>;
  /** A logged request, its receipt read first while pending; null when the digest was never relayed. */
  readRequest(digest: Hex): Promise<RelayRequestRecord | null>;
  /** ETH the relay may still spend (budget less spent and reserved). */
  budgetLeftWei(): Promise<bigint>;
}

/** A relayed call: what to send, and the log row's own fields. */
interface Claim {
  digest: Hex;
  kind: "vote" | "delegation";
  contract: Address;
  signer: Address;
  nonce: bigint;
  signature: Hex;
  proposalId?: bigint;
  support?: number;
  reason?: string;
  params?: Hex;
  delegatee?: Address;
  expiry?: bigint;
  call: { address: Address; abi: typeof backstopGovernorAbi | typeof backstopTokenAbi; functionName: string; args: readonly unknown[] };
}

interface Row {
  digest: Hex;
  kind: "vote" | "delegation";
  signer: Address;
  status: RelayStatus;
  tx_hash: Hex | null;
  gas_used: string | null;
  spent_wei: string | null;
}

/** How long a duplicate waits for the first request's transaction to be sent. */
const DUPLICATE_WAIT_MS = 20_000;
const GAS_MARGIN_PERCENT = 125n;

const short = (a: string) => `${a.slice(0, 6)}…${a.slice(-4)}`;
const tokens = (wei: bigint) => Number(formatUnits(wei, 18)).toLocaleString("en-US", { maximumFractionDigits: 4 });
const refuse = (rule: RelayRule, message: string): RelayOutcome => ({ ok: false, rule, message });

const recordOf = (row: Row): RelayRequestRecord => ({
  digest: row.digest,
  kind: row.kind,
  signer: getAddress(row.signer),
  status: row.status,
  txHash: row.tx_hash,
  gasUsed: row.gas_used === null ? null : BigInt(row.gas_used),
  spentWei: row.spent_wei === null ? null : BigInt(row.spent_wei),
});

export function createRelay({ db, client, relayerKey, contracts, rules }: CreateRelayParameters): Relay {
  const account = privateKeyToAccount(relayerKey, { nonceManager });
  const wallet = createWalletClient({ account, chain: client.chain, transport: custom(client) });
  const governor = { address: contracts.governor, abi: backstopGovernorAbi } as const;
  const token = { address: contracts.governanceToken, abi: backstopTokenAbi } as const;
  const domains = new Map<Address, Promise<TypedDataDomain>>();
  // Both contracts answer EIP-5267's eip712Domain(); the governor's ABI reads either.
  const domainFor = (address: Address) => {
    if (!domains.has(address)) {
      const read = client.readContract({ address, abi: backstopGovernorAbi, functionName: "eip712Domain" }).then((d) => domainOf(d as Eip712DomainTuple));
      // A failed read (node down) is tried again next time rather than remembered.
      read.catch(() => domains.delete(address));
      domains.set(address, read);
    }
    return domains.get(address)!;
  };

  async function findRow(digest: Hex, q: Queryable = db): Promise<Row | undefined> {
    return (await q.query<Row>("select digest, kind, signer, status, tx_hash, gas_used::text, spent_wei::text from relay_requests where digest = $1", [digest]))[0];
  }

  /**
   * A refusal, logged — unless the same signature was claimed meanwhile by a request running
   * alongside (its vote then already counts, or its nonce is used): that request's transaction is
   * the answer.
   */
  async function refused(digest: Hex, kind: Claim["kind"], signer: Address, rule: RelayRule, message: string): Promise<RelayOutcome> {
    if (await findRow(digest)) return answerDuplicate(digest);
    await db.query("insert into relay_refusals (kind, signer, rule, message) values ($1, $2, $3, $4)", [kind, signer.toLowerCase(), rule, message]);
    return refuse(rule, message);
  }

  /** The first request's transaction, once it has one: what a duplicate answers. */
  async function answerDuplicate(digest: Hex): Promise<RelayOutcome> {
    const deadline = Date.now() + DUPLICATE_WAIT_MS;
    for (;;) {
      const row = await findRow(digest);
      if (!row) throw new RelayError("the first request with this signature could not be sent; send it again");
      if (row.status !== "sending") return { ok: true, request: (await readRequest(digest))!, duplicate: true };
      if (Date.now() > deadline) throw new RelayError("the first request with this signature is still being sent; ask again shortly");
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** The gas price now, against the ceiling; the fees to send with, never above it. */
  async function fees(digest: Hex, kind: Claim["kind"], signer: Address): Promise<RelayOutcome | { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }> {
    const gasPrice = await client.getGasPrice();
    if (gasPrice > rules.maxGasPriceWei) {
      return refused(digest, kind, signer, "gas price ceiling", `Refused by the gas price ceiling: gas costs ${formatGwei(gasPrice)} gwei now and the relay pays at most ${formatGwei(rules.maxGasPriceWei)} gwei. Try again when gas is cheaper, or send it from your wallet.`);
    }
    const estimate = await client.estimateFeesPerGas();
    const maxFeePerGas = estimate.maxFeePerGas < rules.maxGasPriceWei ? estimate.maxFeePerGas : rules.maxGasPriceWei;
    const maxPriorityFeePerGas = estimate.maxPriorityFeePerGas < maxFeePerGas ? estimate.maxPriorityFeePerGas : maxFeePerGas;
    return { maxFeePerGas, maxPriorityFeePerGas };
  }

  /** The contract's own verdict, before anything is spent: a revert is a refusal in words. */
  async function estimate(claim: Claim, what: string): Promise<RelayOutcome | bigint> {
    try {
      await client.simulateContract({ ...claim.call, account: account.address } as never);
      return ((await client.estimateContractGas({ ...claim.call, account: account.address } as never)) * GAS_MARGIN_PERCENT) / 100n;
    } catch (error) {
      // A revert is the contract's answer; anything else (the node unreachable) is not a refusal.
      const reverted = error instanceof BaseError && (error.walk((e) => e instanceof ContractFunctionRevertedError) || revertDataOf(error));
      if (!reverted) throw error;
      return refused(claim.digest, claim.kind, claim.signer, "contract", `Refused: the ${what} would not accept it: ${describeRevert(error)}.`);
    }
  }

  /**
   * Rate limit, budget and the claim of the digest, in one transaction; then the send. Resolves
   * with the request as logged, or the refusal.
   */
  async function claimAndSend(claim: Claim, gas: bigint, fee: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }): Promise<RelayOutcome> {
    await settlePending();
    const reservedWei = gas * fee.maxFeePerGas;
    const claimed = await db.transaction(async (tx): Promise<RelayOutcome | "claimed" | "duplicate"> => {
      if (db.kind === "postgres") await tx.query("select pg_advisory_xact_lock(7272)");
      if (await findRow(claim.digest, tx)) return "duplicate";
      const [{ recent }] = (await tx.query<{ recent: number }>("select count(*)::int as recent from relay_requests where signer = $1 and created_at > now() - make_interval(secs => $2)", [claim.signer.toLowerCase(), rules.rateWindowSeconds])) as [{ recent: number }];
      if (recent >= rules.rateLimit) {
        return refuse("rate limit", `Refused by the rate limit: ${short(claim.signer)} has had ${recent} signatures relayed in the last ${windowInWords(rules.rateWindowSeconds)}, the most the relay sends for one address. Try again later, or send it from your wallet.`);
      }
      const [{ committed }] = (await tx.query<{ committed: string }>("select coalesce(sum(coalesce(spent_wei, reserved_wei)), 0)::text as committed from relay_requests")) as [{ committed: string }];
      const left = rules.budgetWei - BigInt(committed);
      if (reservedWei > left) {
        return refuse("budget", `Refused by the budget: this would cost up to ${formatEther(reservedWei)} ETH and the relay has ${formatEther(left > 0n ? left : 0n)} ETH left of its ${formatEther(rules.budgetWei)} ETH. Send it from your wallet instead.`);
      }
      const inserted = await tx.query(
        `insert into relay_requests (digest, kind, contract, signer, proposal_id, support, reason, params, delegatee, nonce, expiry, signature, status, reserved_wei)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'sending', $13) on conflict do nothing returning id`,
        [claim.digest, claim.kind, claim.contract.toLowerCase(), claim.signer.toLowerCase(), claim.proposalId?.toString() ?? null, claim.support ?? null, claim.reason ?? null, claim.params ?? null, claim.delegatee?.toLowerCase() ?? null, claim.nonce.toString(), claim.expiry?.toString() ?? null, claim.signature, reservedWei.toString()],
      );
      if (inserted.length) return "claimed";
      return (await findRow(claim.digest, tx)) ? "duplicate" : refuse("one vote per proposal", oneVoteMessage(claim.signer));
    });
    if (claimed === "duplicate") return answerDuplicate(claim.digest);
    if (claimed !== "claimed") {
      if (!claimed.ok) await db.query("insert into relay_refusals (kind, signer, rule, message) values ($1, $2, $3, $4)", [claim.kind, claim.signer.toLowerCase(), claimed.rule, claimed.message]);
      return claimed;
    }
    let hash: Hex;
    try {
      hash = await wallet.writeContract({ ...claim.call, gas, ...fee, chain: client.chain } as never);
    } catch (error) {
      // Not sent: free the digest, so the same signature may be relayed again.
      await db.query("delete from relay_requests where digest = $1 and status = 'sending'", [claim.digest]);
      throw error;
    }
    await db.query("update relay_requests set status = 'pending', tx_hash = $2, updated_at = now() where digest = $1", [claim.digest, hash]);
    return { ok: true, request: (await readRequest(claim.digest))!, duplicate: false };
  }

  /**
   * Reads the receipts of the transactions still logged as pending, so the budget counts what
   * they spent rather than the most they might have. Receipts are read when asked for (here, and
   * when a page follows its request), never by a watcher left running.
   */
  async function settlePending(): Promise<void> {
    const pending = await db.query<{ digest: Hex }>("select digest from relay_requests where status = 'pending'");
    await Promise.all(pending.map((row) => readRequest(row.digest)));
  }

  async function readRequest(digest: Hex): Promise<RelayRequestRecord | null> {
    const row = await findRow(digest);
    if (!row) return null;
    if (row.status !== "pending" || !row.tx_hash) return recordOf(row);
    const receipt = await client.getTransactionReceipt({ hash: row.tx_hash }).catch(() => null);
    if (!receipt) return recordOf(row);
    const status = receipt.status === "success" ? "mined" : "reverted";
    const spentWei = receipt.gasUsed * receipt.effectiveGasPrice;
    await db.query("update relay_requests set status = $2, gas_used = $3, spent_wei = $4, updated_at = now() where digest = $1", [digest, status, receipt.gasUsed.toString(), spentWei.toString()]);
    return recordOf({ ...row, status, gas_used: receipt.gasUsed.toString(), spent_wei: spentWei.toString() });
  }

  async function relayVote({ signature, ...vote }: SignedVote & { signature: Hex }): Promise<RelayOutcome> {
    const digest = ballotDigest(await domainFor(governor.address), vote);
    if (await findRow(digest)) return answerDuplicate(digest);
    const voter = getAddress(vote.voter);
    const fee = await fees(digest, "vote", voter);
    if ("ok" in fee) return fee;
    // Voted already (from a wallet, or through the relay and still pending)? The claim's unique
    // index holds this rule against concurrent requests; these reads give the answer sooner.
    const relayed = await db.query("select 1 from relay_requests where contract = $1 and proposal_id = $2 and signer = $3 and kind = 'vote' and status <> 'reverted'", [governor.address.toLowerCase(), vote.proposalId.toString(), voter.toLowerCase()]);
    if (relayed.length || (await client.readContract({ ...governor, functionName: "hasVoted", args: [vote.proposalId, voter] }))) return refused(digest, "vote", voter, "one vote per proposal", oneVoteMessage(voter));
    const extended = vote.reason !== undefined || vote.params !== undefined;
    const claim: Claim = {
      digest,
      kind: "vote",
      contract: governor.address,
      signer: voter,
      nonce: vote.nonce,
      signature,
      proposalId: vote.proposalId,
      support: vote.support,
      reason: vote.reason,
      params: vote.params,
      call: extended
        ? { ...governor, functionName: "castVoteWithReasonAndParamsBySig", args: [vote.proposalId, vote.support, voter, vote.reason ?? "", vote.params ?? "0x", signature] }
        : { ...governor, functionName: "castVoteBySig", args: [vote.proposalId, vote.support, voter, signature] },
    };
    const gas = await estimate(claim, "governor");
    if (typeof gas !== "bigint") return gas;
    const snapshot = await client.readContract({ ...governor, functionName: "proposalSnapshot", args: [vote.proposalId] });
    const votes = await client.readContract({ ...governor, functionName: "getVotes", args: [voter, snapshot] });
    if (votes < rules.minVotesWei) {
      return refused(digest, "vote", voter, "minimum voting power", `Refused by the minimum voting power: ${short(voter)} had ${tokens(votes)} votes at this proposal's snapshot (block #${snapshot}) and the relay sends votes of at least ${tokens(rules.minVotesWei)}. You can still vote from your wallet, paying the gas.`);
    }
    return claimAndSend(claim, gas, fee);
  }

  async function relayDelegation({ signature, delegator, ...delegation }: SignedDelegation & { delegator: Address; signature: Hex }): Promise<RelayOutcome> {
    const domain = await domainFor(token.address);
    const digest = delegationDigest(domain, delegation);
    if (await findRow(digest)) return answerDuplicate(digest);
    const signer = getAddress(delegator);
    let recovered: Address | undefined;
    try {
      recovered = await recoverTypedDataAddress({ ...delegationTypedData(domain, delegation), signature });
    } catch {
      recovered = undefined;
    }
    if (recovered?.toLowerCase() !== signer.toLowerCase()) {
      const contractWallet = ((await client.getCode({ address: signer })) ?? "0x") !== "0x";
      return refused(
        digest,
        "delegation",
        signer,
        "signature",
        contractWallet
          ? `Refused: ${short(signer)} is a contract wallet, and the token's delegateBySig takes only a key's (ECDSA) signature, as ERC-20 Votes defines it. Delegate with a transaction from the wallet instead.`
          : `Refused: the signature is not ${short(signer)}'s${recovered ? ` (it was signed by ${short(recovered)})` : ""}.`,
      );
    }
    const fee = await fees(digest, "delegation", signer);
    if ("ok" in fee) return fee;
    const { v, r, s, yParity } = parseSignature(signature);
    const claim: Claim = {
      digest,
      kind: "delegation",
      contract: token.address,
      signer,
      nonce: delegation.nonce,
      signature,
      delegatee: delegation.delegatee,
      expiry: delegation.expiry,
      call: { ...token, functionName: "delegateBySig", args: [delegation.delegatee, delegation.nonce, delegation.expiry, Number(v ?? 27n + BigInt(yParity)), r, s] },
    };
    const gas = await estimate(claim, "token");
    if (typeof gas !== "bigint") return gas;
    const balance = await client.readContract({ ...token, functionName: "balanceOf", args: [signer] });
    if (balance < rules.minVotesWei) {
      return refused(digest, "delegation", signer, "minimum voting power", `Refused by the minimum voting power: ${short(signer)} holds ${tokens(balance)} tokens and the relay sends delegations of at least ${tokens(rules.minVotesWei)}. You can still delegate from your wallet, paying the gas.`);
    }
    return claimAndSend(claim, gas, fee);
  }

  async function budgetLeftWei(): Promise<bigint> {
    await settlePending();
    const [{ committed }] = (await db.query<{ committed: string }>("select coalesce(sum(coalesce(spent_wei, reserved_wei)), 0)::text as committed from relay_requests")) as [{ committed: string }];
    return rules.budgetWei - BigInt(committed);
  }

  return { relayer: account.address, rules, relayVote, relayDelegation, readRequest, budgetLeftWei };
}

export class RelayError extends BackstopError {
  override name = "RelayError";
}

function oneVoteMessage(voter: Address): string {
  return `Refused by one vote per proposal: ${short(voter)} has already voted on this proposal, or a vote of theirs is on its way.`;
}

/** 86400 → "24 hours", 600 → "10 minutes", 45 → "45 seconds". */
export function windowInWords(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} hour${seconds === 3600 ? "" : "s"}`;
  if (seconds % 60 === 0) return `${seconds / 60} minute${seconds === 60 ? "" : "s"}`;
  return `${seconds} second${seconds === 1 ? "" : "s"}`;
}
