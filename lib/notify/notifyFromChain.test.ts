import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createPublicClient, createTestClient, createWalletClient, http, keccak256, stringToHex, type Address, type Hex, type PublicClient } from "viem";
import { foundry } from "viem/chains";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalChain, type LocalChain } from "../../scripts/chain.ts";
import { readMonitor } from "../actions/readMonitor.ts";
import { readSnapshot } from "../actions/readSnapshot.ts";
import { encodeChange } from "../codec/governanceCodec.ts";
import { backstopGovernorAbi, backstopTimelockAbi } from "../contracts/abis.ts";
import { openDatabase, type Database } from "../db/database.ts";
import { createdProposalId } from "../testing/queueProposal.ts";
import { createNotifier, type Notifier } from "./createNotifier.ts";
import { insertSubscription, listDeliveries } from "./notifyStore.ts";
import { NOTIFY_EVENT_KINDS } from "./notifyEvent.ts";
import { IDEMPOTENCY_HEADER } from "./webhookSignature.ts";

let chain: LocalChain;
let db: Database;
let notifier: Notifier;
const received: string[] = [];
const receiver = createServer((request, response) => {
  received.push(request.headers[IDEMPOTENCY_HEADER.toLowerCase()] as string);
  request.resume().on("end", () => response.writeHead(204).end());
});
const deploymentPath = `${process.env.TMPDIR ?? "/tmp"}/backstop-notify-${process.pid}.json`;

beforeAll(async () => {
  chain = await startLocalChain({ port: 0, accounts: 200, deploymentPath, log: () => {} });
  db = await openDatabase({ dataDir: "memory://" });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  await insertSubscription(db, { name: "everything", url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`, format: "json", events: NOTIFY_EVENT_KINDS, secret: "whsec_test" });
  notifier = createNotifier({ db, publicUrl: "http://127.0.0.1:3000", policy: { baseMs: 50, capMs: 200, maxAttempts: 5, timeoutMs: 2_000 }, allowPrivate: true });
}, 180_000);
afterAll(async () => {
  receiver.close();
  await db?.close();
  await chain?.stop();
  const { rm } = await import("node:fs/promises");
  await rm(deploymentPath, { force: true });
});

/** The server's per-block path, as the block worker and the notify step run it: snapshot, detectors, observe. */
async function observeHead(client: PublicClient): Promise<string[]> {
  const snapshot = await readSnapshot(client, { deployment: chain.deployment });
  const monitor = await readMonitor(client, { deployment: chain.deployment, snapshot });
  return notifier.observe({ chainId: snapshot.chainId, blockNumber: snapshot.blockNumber, timestampSec: snapshot.timestamp, blockTimeSec: 12, proposals: monitor.proposals, alerts: monitor.alerts });
}

describe("the notify step on a real chain", () => {
  it("a proposal taken from creation to execution is announced at each state the server sees, once each, and delivered", async () => {
    const transport = http(chain.rpcUrl);
    const client = createPublicClient({ chain: foundry, transport }) as PublicClient;
    const test = createTestClient({ mode: "anvil", transport });
    const dev = await createWalletClient({ transport }).getAddresses();
    const as = (account: Address) => createWalletClient({ chain: foundry, account, transport });
    const mined = (hash: Hex) => client.waitForTransactionReceipt({ hash });
    const governor = { address: chain.deployment.contracts.governor, abi: backstopGovernorAbi, chain: foundry } as const;
    const proposalEvents = (keys: string[]) => keys.filter((k) => k.includes(":proposal:"));

    // What the chain already holds (the seed's state) is the baseline.
    await observeHead(client);
    const grace = encodeChange({ kind: "setGracePeriod", seconds: 4_321n }, chain.deployment);
    const description = "# Notify lifecycle";
    const call = [[grace.target], [grace.value], [grace.calldata], description] as const;
    const id = createdProposalId(await mined(await as(dev[3]!).writeContract({ ...governor, functionName: "propose", args: [...call] })));
    const key = (state: string) => `31337:proposal:${id}:${state}`;

    expect(await observeHead(client)).toEqual([key("created")]);
    expect(await observeHead(client)).toEqual([]); // the same block again: nothing new

    await test.mine({ blocks: Number(await client.readContract({ ...governor, functionName: "votingDelay" })) + 1 });
    expect(proposalEvents(await observeHead(client))).toEqual([key("voting-ends-soon")]); // 50 blocks of 12 s: well within 24 h

    for (const voter of [dev[1]!, dev[2]!]) await mined(await as(voter).writeContract({ ...governor, functionName: "castVote", args: [id, 1] }));
    const deadline = await client.readContract({ ...governor, functionName: "proposalDeadline", args: [id] });
    await test.mine({ blocks: Number(deadline - (await client.getBlockNumber())) + 1 });
    expect(proposalEvents(await observeHead(client))).toEqual([key("succeeded")]);

    await mined(await as(dev[3]!).writeContract({ ...governor, functionName: "queue", args: [call[0], call[1], call[2], keccak256(stringToHex(description))] }));
    expect(proposalEvents(await observeHead(client))).toEqual([key("queued")]);

    const delaySec = await client.readContract({ address: chain.deployment.contracts.timelock, abi: backstopTimelockAbi, functionName: "getMinDelay" });
    await test.increaseTime({ seconds: Number(delaySec) });
    await test.mine({ blocks: 1 });
    expect(proposalEvents(await observeHead(client))).toEqual([key("executable")]);

    await mined(await as(dev[3]!).writeContract({ ...governor, functionName: "execute", args: [call[0], call[1], call[2], keccak256(stringToHex(description))] }));
    expect(proposalEvents(await observeHead(client))).toEqual([key("executed")]);

    for (let round = 0; round < 20 && (await listDeliveries(db, { limit: 500 })).some((d) => d.status !== "delivered"); round++) await notifier.deliverDue();
    const states = ["created", "voting-ends-soon", "succeeded", "queued", "executable", "executed"];
    expect(received.filter((k) => k.startsWith(`31337:proposal:${id}:`)).sort()).toEqual(states.map(key).sort());
  });
});
