import { expect, test, type Page } from "@playwright/test";
import { createTestClient, createWalletClient, http, parseEther, parseGwei, type Address, type Hex, type TypedDataDefinition } from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { backstopGovernorAbi, backstopTokenAbi } from "../lib/contracts/abis.ts";
import { delegationTypedData, domainOf, type Eip712DomainTuple } from "../lib/relay/relayTypedData.ts";
import { createdProposalId } from "../lib/testing/queueProposal.ts";
import { deploySafe, signAsSafeOwner } from "../lib/testing/safe.ts";
import { e2eChain } from "./fixtures/chain.ts";
import { E2E_RELAY_RULES } from "./fixtures/relay.ts";
import { connect, installWallet } from "./fixtures/wallet.ts";

/**
 * Votes and delegations without gas (issue #18): wallets holding no ETH at all sign in the page,
 * Backstop's relay sends (e2e/fixtures/relay.ts sets its rules), and the chain counts them.
 */
test.describe.configure({ mode: "serial" });

// Made in beforeAll: the chain's address reaches the workers from the global setup, after the
// runner has loaded this file to list its tests.
let chain: ReturnType<typeof e2eChain>;
let transport: ReturnType<typeof http>;
let testClient: ReturnType<typeof createTestClient>;
let token: { address: Address; abi: typeof backstopTokenAbi };
let governor: { address: Address; abi: typeof backstopGovernorAbi };

const voter = privateKeyToAccount(generatePrivateKey());
const busy = privateKeyToAccount(generatePrivateKey());
const empty = privateKeyToAccount(generatePrivateKey());
const safeOwner = privateKeyToAccount(generatePrivateKey());
let safe: Address;
let proposalId: bigint;

async function send(from: Address, request: { address: Address; abi: typeof backstopTokenAbi | typeof backstopGovernorAbi; functionName: string; args: readonly unknown[] }) {
  // A fixed gas limit: anvil estimates against the pending block, where a vote checkpoint written
  // one block earlier looks like an update in place, and the mined transfer then runs out of gas.
  const hash = await createWalletClient({ chain: foundry, account: from, transport }).writeContract({ ...request, account: from, chain: foundry, gas: 1_000_000n } as never);
  const receipt = await chain.client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`${request.functionName} from ${from} reverted`);
  return receipt;
}

/** A wallet that signs in the test process (the node holds no key for it). */
async function openAs(page: Page, account: Address, signTypedData: (typedData: TypedDataDefinition) => Promise<Hex>, path: string) {
  await installWallet(page, { rpcUrl: chain.rpcUrl, account, chainId: 31337, signTypedData });
  await page.goto(path);
  await connect(page);
}
const signsAs = (account: PrivateKeyAccount) => (typedData: TypedDataDefinition) => account.signTypedData(typedData);

/** The relay's answer to the POST a click makes, with the click. */
async function relayAnswer(page: Page, route: "vote" | "delegation", click: () => Promise<void>) {
  const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith(`/api/relay/${route}`) && r.request().method() === "POST"), click()]);
  return { status: response.status(), body: (await response.json()) as { error?: string; rule?: string; txHash?: Hex; duplicate?: boolean } };
}

/** The proposal page once the server's block shows the proposal open for voting. */
async function openProposalPage(page: Page) {
  const button = page.getByRole("button", { name: "Vote For without gas" });
  await expect(async () => {
    await page.goto(`/governance/${proposalId}`);
    await expect(button).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 60_000 });
}

/** Sets the chain's base fee (anvil keeps it across blocks) and mines a block at it. */
async function baseFee(gwei: string) {
  await testClient.setNextBlockBaseFeePerGas({ baseFeePerGas: parseGwei(gwei) });
  await testClient.mine({ blocks: 1 });
}

test.beforeAll(async () => {
  chain = e2eChain();
  transport = http(chain.rpcUrl);
  testClient = createTestClient({ chain: foundry, mode: "anvil", transport });
  token = { address: chain.deployment.contracts.governanceToken, abi: backstopTokenAbi };
  governor = { address: chain.deployment.contracts.governor, abi: backstopGovernorAbi };
  const dev = await createWalletClient({ chain: foundry, transport }).getAddresses();
  await send(dev[4]!, { ...token, functionName: "transfer", args: [voter.address, parseEther("1000")] });
  await send(dev[4]!, { ...token, functionName: "transfer", args: [busy.address, parseEther("10")] });
  // A real Safe (1-of-1), its tokens delegated to itself by a transaction of its own.
  safe = await deploySafe({ publicClient: chain.client as never, walletClient: createWalletClient({ chain: foundry, transport }), deployer: dev[6]!, owner: safeOwner.address });
  await send(dev[4]!, { ...token, functionName: "transfer", args: [safe, parseEther("2000")] });
  await testClient.impersonateAccount({ address: safe });
  await testClient.setBalance({ address: safe, value: parseEther("1") });
  await send(safe, { ...token, functionName: "delegate", args: [safe] });
  await testClient.setBalance({ address: safe, value: 0n });
  await testClient.stopImpersonatingAccount({ address: safe });
});

test("a wallet with zero ETH delegates through the relay: pending, then mined, and its votes count on chain", async ({ page }) => {
  expect(await chain.client.getBalance({ address: voter.address })).toBe(0n);
  await openAs(page, voter.address, signsAs(voter), "/governance");
  await expect(page.getByText("You hold 1,000 tokens, but they do not vote")).toBeVisible({ timeout: 20_000 });
  // Blocks wait for a word from the test, so the page shows the relay's transaction pending first.
  await testClient.setAutomine(false);
  try {
    await page.getByRole("button", { name: "Delegate to myself without gas" }).click();
    await expect(page.getByText(/Delegate without gas: sent by the relay \(0x[0-9a-f]{8}…\), pending: waiting for your wallet and the chain…/)).toBeVisible({ timeout: 20_000 });
  } finally {
    await testClient.setAutomine(true);
    await testClient.mine({ blocks: 1 });
  }
  await expect(page.getByText(/Delegate without gas: mined \(0x[0-9a-f]{8}…\); the relay paid the gas\./)).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText("You vote with 1,000: your 1,000 tokens.")).toBeVisible({ timeout: 20_000 });
  expect(await chain.client.readContract({ ...token, functionName: "delegates", args: [voter.address] })).toBe(voter.address);
  expect(await chain.client.readContract({ ...token, functionName: "getVotes", args: [voter.address] })).toBe(parseEther("1000"));
  expect(await chain.client.getBalance({ address: voter.address })).toBe(0n);
  await page.screenshot({ path: test.info().outputPath("relay-delegated.png"), fullPage: true });

  // A proposal opened after the delegation: these votes count on it.
  const dev = await createWalletClient({ chain: foundry, transport }).getAddresses();
  const noop = { target: chain.deployment.contracts.governor, value: 0n, calldata: "0x" as Hex };
  proposalId = createdProposalId(await send(dev[3]!, { ...governor, functionName: "propose", args: [[noop.target], [noop.value], [noop.calldata], `# Relay probe ${Date.now()}`] }));
  await testClient.mine({ blocks: Number(await chain.client.readContract({ ...governor, functionName: "votingDelay" })) + 1 });
});

test("the zero-ETH wallet votes without gas with a reason; the same signature sent again is answered with the same transaction", async ({ page, request }) => {
  await installWallet(page, { rpcUrl: chain.rpcUrl, account: voter.address, chainId: 31337, signTypedData: signsAs(voter) });
  await openProposalPage(page);
  await connect(page);
  await page.getByLabel("Reason (optional, public)").fill("Signed, not paid for");
  const [posted] = await Promise.all([page.waitForRequest((r) => r.url().endsWith("/api/relay/vote")), page.getByRole("button", { name: "Vote For without gas" }).click()]);
  await expect(page.getByText(/Vote without gas: mined \(0x[0-9a-f]{8}…\); the relay paid the gas\./)).toBeVisible({ timeout: 20_000 });
  const cast = await chain.client.getContractEvents({ ...governor, eventName: "VoteCast", args: { voter: voter.address }, fromBlock: 0n });
  expect(cast).toHaveLength(1);
  expect(cast[0]!.args).toMatchObject({ proposalId, support: 1, weight: parseEther("1000"), reason: "Signed, not paid for" });
  expect(await chain.client.getBalance({ address: voter.address })).toBe(0n);

  // The same signed ballot, twice at once: both answered with the first's transaction, nothing sent.
  const again = await Promise.all([0, 1].map(() => request.post("/api/relay/vote", { data: posted.postDataJSON() })));
  for (const answer of again) {
    expect(answer.status()).toBe(200);
    expect(await answer.json()).toMatchObject({ duplicate: true, status: "mined", txHash: cast[0]!.transactionHash });
  }
  expect(await chain.client.getContractEvents({ ...governor, eventName: "VoteCast", args: { voter: voter.address }, fromBlock: 0n })).toHaveLength(1);

  // One vote per proposal: a second ballot (Against) is refused in words.
  const second = await relayAnswer(page, "vote", () => page.getByRole("button", { name: "Vote Against without gas" }).click());
  expect(second).toMatchObject({ status: 409, body: { rule: "one vote per proposal" } });
  await expect(page.getByText(/Vote without gas: not relayed: Refused by one vote per proposal: 0x[0-9a-fA-F]{4}…[0-9a-fA-F]{4} has already voted on this proposal/)).toBeVisible();
});

test("a contract wallet (a Safe, ERC-1271) votes without gas, and is told why it cannot delegate by signature", async ({ page }) => {
  await installWallet(page, { rpcUrl: chain.rpcUrl, account: safe, chainId: 31337, signTypedData: (typedData) => signAsSafeOwner(safeOwner, safe, 31337, typedData) });
  await openProposalPage(page);
  await connect(page);
  await expect(page.getByText("Your wallet is a contract: it signs through ERC-1271, which the governor accepts.")).toBeVisible({ timeout: 20_000 });
  await page.getByRole("button", { name: "Vote For without gas" }).click();
  await expect(page.getByText(/Vote without gas: mined \(0x[0-9a-f]{8}…\); the relay paid the gas\./)).toBeVisible({ timeout: 20_000 });
  expect(await chain.client.readContract({ ...governor, functionName: "hasVoted", args: [proposalId, safe] })).toBe(true);
  const [cast] = await chain.client.getContractEvents({ ...governor, eventName: "VoteCast", args: { voter: safe }, fromBlock: 0n });
  expect(cast!.args).toMatchObject({ support: 1, weight: parseEther("2000") });
  expect(await chain.client.getBalance({ address: safe })).toBe(0n);

  await page.goto("/governance");
  await expect(page.getByText("Your wallet is a contract, so it cannot delegate without gas: the token's delegateBySig accepts only a key's (ECDSA) signature")).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole("button", { name: "Delegate to myself without gas" })).toHaveCount(0);
});

test("each of the relay's rules refuses in words, in the API's answer and on the page", async ({ page, request }) => {
  // Minimum voting power: a wallet without tokens (nor ETH) may not have its vote relayed.
  await installWallet(page, { rpcUrl: chain.rpcUrl, account: empty.address, chainId: 31337, signTypedData: signsAs(empty) });
  await openProposalPage(page);
  await connect(page);
  const weak = await relayAnswer(page, "vote", () => page.getByRole("button", { name: "Vote For without gas" }).click());
  expect(weak).toMatchObject({ status: 422, body: { rule: "minimum voting power" } });
  await expect(page.getByText(/Vote without gas: not relayed: Refused by the minimum voting power: 0x[0-9a-fA-F]{4}…[0-9a-fA-F]{4} had 0 votes at this proposal's snapshot \(block #\d+\) and the relay sends votes of at least 1\./)).toBeVisible();

  // Rate limit: four signatures of one address relayed this hour, the fifth refused.
  const domain = domainOf((await chain.client.readContract({ ...governor, address: token.address, functionName: "eip712Domain" })) as Eip712DomainTuple);
  for (let i = 0; i < E2E_RELAY_RULES.rateLimit; i++) {
    const nonce = await chain.client.readContract({ ...token, functionName: "nonces", args: [busy.address] });
    const delegation = { delegatee: busy.address, nonce, expiry: 2n ** 40n };
    const signature = await busy.signTypedData(delegationTypedData(domain, delegation));
    const answer = await request.post("/api/relay/delegation", { data: { delegator: busy.address, delegatee: busy.address, nonce: nonce.toString(), expiry: delegation.expiry.toString(), signature } });
    expect(answer.status(), await answer.text()).toBe(202);
    // The relay answers before its transaction is mined: the next signature needs the next nonce,
    // or it is this one again (answered 200, a duplicate).
    await expect.poll(() => chain.client.readContract({ ...token, functionName: "nonces", args: [busy.address] }), { timeout: 20_000 }).toBe(nonce + 1n);
  }
  const busyPage = await page.context().newPage();
  await openAs(busyPage, busy.address, signsAs(busy), "/governance");
  const limited = await relayAnswer(busyPage, "delegation", () => busyPage.getByRole("button", { name: "Delegate to myself without gas" }).click());
  expect(limited).toMatchObject({ status: 429, body: { rule: "rate limit" } });
  await expect(busyPage.getByText(/Delegate without gas: not relayed: Refused by the rate limit: 0x[0-9a-fA-F]{4}…[0-9a-fA-F]{4} has had 4 signatures relayed in the last 1 hour, the most the relay sends for one address\./)).toBeVisible();

  // Gas price ceiling, then budget: the voter's delegation while gas is dear.
  const voterPage = await page.context().newPage();
  await openAs(voterPage, voter.address, signsAs(voter), "/governance");
  const { baseFeePerGas } = await chain.client.getBlock();
  try {
    await baseFee("500");
    const dear = await relayAnswer(voterPage, "delegation", () => voterPage.getByRole("button", { name: "Delegate to myself without gas" }).click());
    expect(dear).toMatchObject({ status: 422, body: { rule: "gas price ceiling" } });
    await expect(voterPage.getByText(/Delegate without gas: not relayed: Refused by the gas price ceiling: gas costs \d+(\.\d+)? gwei now and the relay pays at most 100 gwei\./)).toBeVisible();

    // 90 gwei is under the ceiling, but a delegation may then cost more than the 0.002 ETH budget.
    await baseFee("90");
    const costly = await relayAnswer(voterPage, "delegation", () => voterPage.getByRole("button", { name: "Delegate to myself without gas" }).click());
    expect(costly).toMatchObject({ status: 422, body: { rule: "budget" } });
    await expect(voterPage.getByText(/Delegate without gas: not relayed: Refused by the budget: this would cost up to 0\.\d+ ETH and the relay has 0\.00\d+ ETH left of its 0\.002 ETH\./)).toBeVisible();
  } finally {
    await testClient.setNextBlockBaseFeePerGas({ baseFeePerGas: baseFeePerGas! });
    await testClient.mine({ blocks: 1 });
  }
  await voterPage.screenshot({ path: test.info().outputPath("relay-refused.png"), fullPage: true });
});

test("the relay's routes refuse malformed requests with 400 naming the field, and unknown digests with 404, in words", async ({ request }) => {
  const vote = { proposalId: "1", support: 1, voter: voter.address, nonce: "0", signature: `0x${"11".repeat(65)}` };
  for (const [body, error] of [
    [{ ...vote, support: 7 }, "support: must be 0 (Against), 1 (For) or 2 (Abstain)"],
    [{ ...vote, voter: "alice" }, "voter: must be an address: 0x followed by 40 hexadecimal characters"],
    [{ ...vote, relayer: "me" }, "has fields a signed vote does not: relayer"],
  ] as const) {
    const answer = await request.post("/api/relay/vote", { data: body });
    expect(answer.status()).toBe(400);
    expect(await answer.json()).toEqual({ error });
  }
  const delegation = await request.post("/api/relay/delegation", { data: Buffer.from("not json"), headers: { "content-type": "application/json" } });
  expect({ status: delegation.status(), body: await delegation.json() }).toEqual({ status: 400, body: { error: 'the body is not JSON (it starts "not json")' } });
  const unknown = `0x${"ab".repeat(32)}`;
  const missing = await request.get(`/api/relay/requests/${unknown}`);
  expect({ status: missing.status(), body: await missing.json() }).toEqual({ status: 404, body: { error: `the relay has not sent a signature with digest ${unknown}` } });
  const wrongMethod = await request.get("/api/relay/vote");
  expect(wrongMethod.status()).toBe(405);
  expect((await wrongMethod.json()).error).toBe("/api/relay/vote does not take GET; use POST");
});
