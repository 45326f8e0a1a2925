import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createWalletClient, http, parseEther, parseEventLogs, parseGwei, type Address, type Hex, type PublicClient } from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { backstopGovernorAbi, backstopTokenAbi } from "../contracts/abis.ts";
import { openDatabase, type Database } from "../db/database.ts";
import { createFixture, type Fixture } from "../testing/fixture.ts";
import { createdProposalId } from "../testing/queueProposal.ts";
import { deploySafe, signAsSafeOwner } from "../testing/safe.ts";
import { createRelay, type Relay, type RelayOutcome } from "./createRelay.ts";
import { DEFAULT_RELAY_RULES, type RelayRules } from "./relayConfig.ts";
import { ballotTypedData, delegationTypedData, domainOf, type Eip712DomainTuple, type SignedVote } from "./relayTypedData.ts";

let f: Fixture;
let client: PublicClient;
const dbs: Database[] = [];
/** Databases made on the Postgres at DATABASE_URL, dropped after. */
const made: string[] = [];

beforeAll(async () => {
  f = await createFixture();
  client = f.publicClient as PublicClient;
});
afterAll(async () => {
  for (const db of dbs) await db.close();
  if (made.length) {
    const admin = await openDatabase({ url: process.env.DATABASE_URL, migrations: [] });
    for (const name of made) await admin.exec(`drop database ${name}`);
    await admin.close();
  }
  await f?.stop();
});
beforeEach(async () => {
  await f.reset();
});

const governor = () => ({ address: f.deployment.contracts.governor, abi: backstopGovernorAbi }) as const;
const token = () => ({ address: f.deployment.contracts.governanceToken, abi: backstopTokenAbi }) as const;
const domain = async (address: Address) => domainOf((await client.readContract({ address, abi: backstopGovernorAbi, functionName: "eip712Domain" })) as Eip712DomainTuple);

/**
 * A fresh, empty database: PGlite in memory, or — with DATABASE_URL set — a new database on that
 * Postgres, where concurrent requests really run on several connections at once.
 */
async function freshDatabase(): Promise<Database> {
  const url = process.env.DATABASE_URL;
  if (!url) return openDatabase({ dataDir: "memory://" });
  const name = `backstop_relay_test_${generatePrivateKey().slice(2, 14)}`;
  const admin = await openDatabase({ url, migrations: [] });
  await admin.exec(`create database ${name}`);
  await admin.close();
  made.push(name);
  const fresh = new URL(url);
  fresh.pathname = `/${name}`;
  return openDatabase({ url: fresh.toString() });
}

/** A relay on a fresh database, sending with a fresh funded key (viem's nonce manager remembers a key's nonces across the fixture's reverts). */
async function relayWith(rules: Partial<RelayRules> = {}, db?: Database): Promise<{ relay: Relay; db: Database }> {
  const database = db ?? (await freshDatabase());
  if (!db) dbs.push(database);
  const relayerKey = generatePrivateKey();
  await f.testClient.setBalance({ address: privateKeyToAccount(relayerKey).address, value: parseEther("10") });
  return { relay: createRelay({ db: database, client, relayerKey, contracts: f.deployment.contracts, rules: { ...DEFAULT_RELAY_RULES, ...rules } }), db: database };
}

/** A holder with `tokens` and no ETH at all. */
async function holder(tokens: string): Promise<PrivateKeyAccount> {
  const account = privateKeyToAccount(generatePrivateKey());
  if (tokens !== "0") await f.write(f.deployer, token().address, backstopTokenAbi, "transfer", [account.address, parseEther(tokens)]);
  return account;
}

async function signDelegation(signer: PrivateKeyAccount, delegatee: Address = signer.address) {
  const nonce = await client.readContract({ ...token(), functionName: "nonces", args: [signer.address] });
  const delegation = { delegatee, nonce, expiry: 2n ** 40n };
  return { ...delegation, delegator: signer.address, signature: await signer.signTypedData(delegationTypedData(await domain(token().address), delegation)) };
}

async function signVote(signer: PrivateKeyAccount, vote: Omit<SignedVote, "nonce" | "voter">, voter: Address = signer.address) {
  const nonce = await client.readContract({ ...governor(), functionName: "nonces", args: [voter] });
  const full = { ...vote, voter, nonce };
  return { ...full, signature: await signer.signTypedData(ballotTypedData(await domain(governor().address), full) as never) };
}

/** A proposal whose voting has started (the deployer proposes; the voting delay mined through). */
async function openProposal(): Promise<bigint> {
  const calldata = "0x" as Hex;
  const receipt = await f.write(f.deployer, governor().address, backstopGovernorAbi, "propose", [[f.deployer], [0n], [calldata], `# Relay probe ${Math.random()}`]);
  await f.testClient.mine({ blocks: 2 });
  return createdProposalId(receipt);
}

async function mined(relay: Relay, outcome: RelayOutcome) {
  if (!outcome.ok) throw new Error(`refused: ${outcome.message}`);
  await client.waitForTransactionReceipt({ hash: outcome.request.txHash! });
  return (await relay.readRequest(outcome.request.digest))!;
}

const refusal = (outcome: RelayOutcome) => (outcome.ok ? "sent" : { rule: outcome.rule, message: outcome.message });

describe("createRelay on anvil and PGlite (or the Postgres at DATABASE_URL)", () => {
  it("sends a zero-ETH holder's signed delegation and vote, which count on chain, and logs the gas it paid", async () => {
    const { relay } = await relayWith();
    const voter = await holder("1000");
    const delegated = await mined(relay, await relay.relayDelegation(await signDelegation(voter)));
    expect(delegated.status).toBe("mined");
    expect(await client.readContract({ ...token(), functionName: "getVotes", args: [voter.address] })).toBe(parseEther("1000"));

    const id = await openProposal();
    const voted = await mined(relay, await relay.relayVote(await signVote(voter, { proposalId: id, support: 1, reason: "sound change" })));
    expect(voted).toMatchObject({ kind: "vote", status: "mined", signer: voter.address });
    const receipt = await client.getTransactionReceipt({ hash: voted.txHash! });
    expect(voted.spentWei).toBe(receipt.gasUsed * receipt.effectiveGasPrice);
    const [, forVotes] = await client.readContract({ ...governor(), functionName: "proposalVotes", args: [id] });
    expect(forVotes).toBe(parseEther("1000"));
    const [cast] = parseEventLogs({ abi: backstopGovernorAbi, logs: receipt.logs, eventName: "VoteCast" });
    expect(cast!.args).toMatchObject({ voter: voter.address, support: 1, reason: "sound change" });
    expect(await client.getBalance({ address: voter.address })).toBe(0n);
    expect(await relay.budgetLeftWei()).toBe(DEFAULT_RELAY_RULES.budgetWei - delegated.spentWei! - voted.spentWei!);
  });

  it("sends a signature brought by concurrent identical requests once, every request answered with its transaction", async () => {
    const { relay, db } = await relayWith();
    const voter = await holder("10");
    await mined(relay, await relay.relayDelegation(await signDelegation(voter)));
    const id = await openProposal();
    const signed = await signVote(voter, { proposalId: id, support: 0 });
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => relay.relayVote(signed)));
    const hashes = new Set(outcomes.map((o) => (o.ok ? o.request.txHash : o.message)));
    expect(hashes.size).toBe(1);
    expect(outcomes.filter((o) => o.ok && !o.duplicate)).toHaveLength(1);
    const hash = [...hashes][0] as Hex;
    await client.waitForTransactionReceipt({ hash });
    // Once mined, the same signature again: the same transaction, nothing sent.
    const later = await relay.relayVote(signed);
    expect(later.ok && later.duplicate && later.request.txHash).toBe(hash);
    const logs = await client.getContractEvents({ ...governor(), eventName: "VoteCast", args: { voter: voter.address }, fromBlock: 0n });
    expect(logs).toHaveLength(1);
    expect(await db.query("select count(*)::int as n from relay_requests where kind = 'vote'")).toEqual([{ n: 1 }]);
  });

  it("sends one of two different votes of one voter on one proposal arriving together, and refuses the other", async () => {
    const { relay } = await relayWith();
    const voter = await holder("10");
    await mined(relay, await relay.relayDelegation(await signDelegation(voter)));
    const id = await openProposal();
    const [yes, no] = [await signVote(voter, { proposalId: id, support: 1 }), await signVote(voter, { proposalId: id, support: 0 })];
    const outcomes = await Promise.all([relay.relayVote(yes), relay.relayVote(no)]);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    // Whichever lost is refused: by the log's unique index, or by the governor (the winner used the nonce).
    expect(outcomes.filter((o) => !o.ok).map((o) => !o.ok && o.rule)[0]).toMatch(/^(one vote per proposal|contract)$/);
    const sent = outcomes.find((o) => o.ok)!;
    await client.waitForTransactionReceipt({ hash: sent.ok ? sent.request.txHash! : "0x" });
    expect(await client.getContractEvents({ ...governor(), eventName: "VoteCast", args: { voter: voter.address }, fromBlock: 0n })).toHaveLength(1);
  });

  it("refuses, in words naming the rule, what breaks each rule", async () => {
    const cases: { name: string; rules?: Partial<RelayRules>; run(relay: Relay): Promise<RelayOutcome>; rule: string; words: RegExp }[] = [
      {
        name: "a vote below the minimum voting power at the proposal's snapshot",
        rules: { minVotesWei: parseEther("1") },
        run: async (relay) => {
          // Holds tokens but never delegated them: no votes at the snapshot.
          const small = await holder("500");
          return relay.relayVote(await signVote(small, { proposalId: await openProposal(), support: 1 }));
        },
        rule: "minimum voting power",
        words: /^Refused by the minimum voting power: 0x[0-9a-fA-F]{4}…[0-9a-fA-F]{4} had 0 votes at this proposal's snapshot \(block #\d+\) and the relay sends votes of at least 1\. /,
      },
      {
        name: "a delegation of fewer tokens than the minimum",
        rules: { minVotesWei: parseEther("1") },
        run: async (relay) => relay.relayDelegation(await signDelegation(await holder("0.5"))),
        rule: "minimum voting power",
        words: /holds 0\.5 tokens and the relay sends delegations of at least 1\./,
      },
      {
        name: "a third delegation from one address when the rate limit is two",
        rules: { rateLimit: 2, rateWindowSeconds: 3600 },
        run: async (relay) => {
          const busy = await holder("10");
          await mined(relay, await relay.relayDelegation(await signDelegation(busy)));
          await mined(relay, await relay.relayDelegation(await signDelegation(busy, f.dev[1]!)));
          return relay.relayDelegation(await signDelegation(busy));
        },
        rule: "rate limit",
        words: /has had 2 signatures relayed in the last 1 hour, the most the relay sends for one address\./,
      },
      {
        name: "anything while gas costs more than the ceiling",
        rules: { maxGasPriceWei: parseGwei("100") },
        run: async (relay) => {
          const signed = await signDelegation(await holder("10"));
          // anvil keeps its base fee across evm_revert: put it back after.
          const { baseFeePerGas } = await client.getBlock();
          await f.testClient.setNextBlockBaseFeePerGas({ baseFeePerGas: parseGwei("400") });
          await f.testClient.mine({ blocks: 1 });
          try {
            return await relay.relayDelegation(signed);
          } finally {
            await f.testClient.setNextBlockBaseFeePerGas({ baseFeePerGas: baseFeePerGas! });
            await f.testClient.mine({ blocks: 1 });
          }
        },
        rule: "gas price ceiling",
        words: /^Refused by the gas price ceiling: gas costs [1-9]\d\d(\.\d+)? gwei now and the relay pays at most 100 gwei\./,
      },
      {
        name: "a delegation that would cost more than the budget has left",
        rules: { budgetWei: parseGwei("1000") },
        run: async (relay) => relay.relayDelegation(await signDelegation(await holder("10"))),
        rule: "budget",
        words: /^Refused by the budget: this would cost up to 0\.\d+ ETH and the relay has 0\.000001 ETH left of its 0\.000001 ETH\./,
      },
      {
        name: "a second vote of a voter whose first vote is still pending (a different signature)",
        run: async (relay) => {
          const voter = await holder("10");
          await mined(relay, await relay.relayDelegation(await signDelegation(voter)));
          const id = await openProposal();
          await f.testClient.setAutomine(false);
          try {
            const first = await relay.relayVote(await signVote(voter, { proposalId: id, support: 1 }));
            expect(first.ok && first.request.status).toBe("pending");
            return await relay.relayVote(await signVote(voter, { proposalId: id, support: 0 }));
          } finally {
            await f.testClient.setAutomine(true);
            await f.testClient.mine({ blocks: 1 });
          }
        },
        rule: "one vote per proposal",
        words: /has already voted on this proposal, or a vote of theirs is on its way\.$/,
      },
      {
        name: "a vote of a voter who already voted from their wallet",
        run: async (relay) => {
          const id = await openProposal();
          await f.write(f.dev[1]!, governor().address, backstopGovernorAbi, "castVote", [id, 1]);
          const stranger = await holder("0");
          return relay.relayVote({ ...(await signVote(stranger, { proposalId: id, support: 1 })), voter: f.dev[1]! });
        },
        rule: "one vote per proposal",
        words: /^Refused by one vote per proposal: /,
      },
      {
        name: "a vote signed by someone else than the voter",
        run: async (relay) => {
          const voter = await holder("10");
          const forger = await holder("0");
          return relay.relayVote(await signVote(forger, { proposalId: await openProposal(), support: 1 }, voter.address));
        },
        rule: "contract",
        words: /^Refused: the governor would not accept it: the vote's signature is not 0x[0-9a-fA-F]{4}…[0-9a-fA-F]{4}'s\.$/,
      },
    ];
    for (const c of cases) {
      await f.reset();
      const { relay, db } = await relayWith(c.rules);
      const outcome = await c.run(relay);
      expect(refusal(outcome), c.name).toMatchObject({ rule: c.rule });
      expect(!outcome.ok && outcome.message, c.name).toMatch(c.words);
      expect(await db.query("select rule from relay_refusals"), c.name).toEqual([{ rule: c.rule }]);
    }
  });

  it("counts what was spent against the budget: after spending X, a budget of X plus one wei refuses the next", async () => {
    const { relay, db } = await relayWith();
    const first = await mined(relay, await relay.relayDelegation(await signDelegation(await holder("10"))));
    const { relay: tight } = await relayWith({ budgetWei: first.spentWei! + 1n }, db);
    expect(refusal(await tight.relayDelegation(await signDelegation(await holder("10"))))).toMatchObject({ rule: "budget", message: expect.stringContaining("the relay has 0.000000000000000001 ETH left") });
  });

  it("relays the vote of a Safe (ERC-1271) signed by its owner, and refuses its delegation by signature in words", async () => {
    const owner = privateKeyToAccount(generatePrivateKey());
    const walletClient = createWalletClient({ chain: foundry, transport: http(f.anvil.rpcUrl) });
    const safe = await deploySafe({ publicClient: client, walletClient, deployer: f.dev[5]!, owner: owner.address });
    await f.write(f.deployer, token().address, backstopTokenAbi, "transfer", [safe, parseEther("2000")]);
    await f.testClient.impersonateAccount({ address: safe });
    await f.testClient.setBalance({ address: safe, value: parseEther("100") });
    await f.write(safe, token().address, backstopTokenAbi, "delegate", [safe]);
    await f.testClient.setBalance({ address: safe, value: 0n });
    await f.testClient.stopImpersonatingAccount({ address: safe });
    const { relay } = await relayWith();
    const id = await openProposal();

    const nonce = await client.readContract({ ...governor(), functionName: "nonces", args: [safe] });
    const vote = { proposalId: id, support: 1, voter: safe, nonce, reason: "from the treasury Safe" };
    const signature = await signAsSafeOwner(owner, safe, foundry.id, ballotTypedData(await domain(governor().address), vote) as never);
    const voted = await mined(relay, await relay.relayVote({ ...vote, signature }));
    expect(voted).toMatchObject({ status: "mined", signer: safe });
    expect(await client.readContract({ ...governor(), functionName: "hasVoted", args: [id, safe] })).toBe(true);
    const [, forVotes] = await client.readContract({ ...governor(), functionName: "proposalVotes", args: [id] });
    expect(forVotes).toBe(parseEther("2000"));

    const delegation = { delegatee: safe, nonce: 0n, expiry: 2n ** 40n };
    const safeSigned = await signAsSafeOwner(owner, safe, foundry.id, delegationTypedData(await domain(token().address), delegation) as never);
    expect(refusal(await relay.relayDelegation({ ...delegation, delegator: safe, signature: safeSigned }))).toMatchObject({ rule: "signature", message: expect.stringMatching(/is a contract wallet, and the token's delegateBySig takes only a key's \(ECDSA\) signature/) });
  });
});
