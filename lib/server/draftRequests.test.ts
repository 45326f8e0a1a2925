/**
 * The drafts API's rules, on a real PGlite in memory with real EIP-712 signatures from viem local
 * accounts: a draft is saved and read back by anyone; only its author changes it; a save made on
 * an older version is refused instead of overwriting; a signature for other content, another
 * version or another chain saves nothing; bad bodies are refused in words.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { keccak256, stringToHex } from "viem";
import { openDatabase, type Database } from "../db/database.ts";
import { draftTypedData } from "../drafts/draftTypedData.ts";
import { DRAFT_MAX_BODY_BYTES } from "../api/schemas.ts";
import { draftListWire, draftWire, type DraftContentWire } from "../api/wire.ts";
import { answerDraft, answerDraftList, answerDraftSave } from "./draftRequests.ts";

const CHAIN_ID = 31337;
/** Keys derived from a label, so each test account is distinct and the same every run. */
const account = (label: string) => privateKeyToAccount(keccak256(stringToHex(label)));
const author = account("draft author");
const other = account("someone else");

let db: Database;
beforeAll(async () => {
  db = await openDatabase({ url: undefined, dataDir: "memory://" });
});
afterAll(() => db.close());

let nextId = 0;
const newId = () => (++nextId).toString(16).padStart(32, "0");
const content = (title: string): DraftContentWire => ({ title, body: "## Why\n\nBecause.", actions: [{ option: "freeze", values: { marketId: "0", frozen: "true" } }] });

/** The body of a PUT, signed by `signer` (the author unless said), for `author`. */
async function signedSave(id: string, { title, version, signer = author, as = signer, chainId = CHAIN_ID, signedContent, signedId = id }: { title: string; version: number; signer?: PrivateKeyAccount; as?: PrivateKeyAccount; chainId?: number; signedContent?: string; signedId?: string }) {
  const text = JSON.stringify(content(title));
  const signature = await signer.signTypedData(draftTypedData({ id: signedId, content: signedContent ?? text, version, chainId }));
  return { author: as.address, chainId, version, content: text, signature };
}

const put = (id: string, body: unknown) => answerDraftSave(new Request(`http://backstop.test/api/drafts/${id}`, { method: "PUT", body: typeof body === "string" ? body : JSON.stringify(body) }), id, { db, chainId: CHAIN_ID });
const get = async (id: string) => draftWire.parse(await (await answerDraft(id, { db })).json());
const errorOf = async (response: Response) => ((await response.json()) as { error: string }).error;

describe("a draft", () => {
  it("is saved by its author and read back by anyone with its id, as signed", async () => {
    const id = newId();
    const response = await put(id, await signedSave(id, { title: "Freeze ETH-PERP", version: 1 }));
    expect(response.status).toBe(200);
    expect(await get(id)).toMatchObject({ id, author: author.address.toLowerCase(), version: 1, content: content("Freeze ETH-PERP") });
  });

  it("is changed by its author only: another account's save is refused by name and changes nothing", async () => {
    const id = newId();
    await put(id, await signedSave(id, { title: "mine", version: 1 }));
    const refused = await put(id, await signedSave(id, { title: "theirs", version: 2, signer: other }));
    expect(refused.status).toBe(403);
    expect(await errorOf(refused)).toBe(`Only the draft's author, ${author.address.toLowerCase()}, can change it; this save was signed by ${other.address.toLowerCase()}. Save a copy as your own draft instead.`);
    const changed = await put(id, await signedSave(id, { title: "mine, again", version: 2 }));
    expect(changed.status).toBe(200);
    expect(await get(id)).toMatchObject({ version: 2, content: { title: "mine, again" } });
  });

  it("refuses a save that claims to be the author's but is signed by another key", async () => {
    const id = newId();
    await put(id, await signedSave(id, { title: "mine", version: 1 }));
    const forged = await put(id, await signedSave(id, { title: "forged", version: 2, signer: other, as: author }));
    expect(forged.status).toBe(401);
    expect(await errorOf(forged)).toMatch(/^The signature is not 0x[0-9a-f]{40}'s over this draft's content, version 2 and chain 31337: nothing was saved\.$/);
    expect((await get(id)).content.title).toBe("mine");
  });

  it("refuses, from a second tab, a save made on a version that is no longer the latest, and keeps the first", async () => {
    const id = newId();
    await put(id, await signedSave(id, { title: "v1", version: 1 }));
    const firstTab = await signedSave(id, { title: "first tab", version: 2 });
    const secondTab = await signedSave(id, { title: "second tab", version: 2 });
    expect((await put(id, firstTab)).status).toBe(200);
    const stale = await put(id, secondTab);
    expect(stale.status).toBe(409);
    expect(await errorOf(stale)).toBe("The draft changed since this copy was opened: it is at version 2, and this save follows version 1. Reload the draft to see what changed, then save again; nothing was overwritten.");
    // The same signed save sent again (a replay) is stale too.
    expect((await put(id, firstTab)).status).toBe(409);
    expect(await get(id)).toMatchObject({ version: 2, content: { title: "first tab" } });
  });

  it("saves two drafts started at once under different ids, and refuses a second creation of one id", async () => {
    const [a, b] = [newId(), newId()];
    const [ra, rb] = await Promise.all([put(a, await signedSave(a, { title: "a", version: 1 })), put(b, await signedSave(b, { title: "b", version: 1 }))]);
    expect([ra.status, rb.status]).toEqual([200, 200]);
    const again = await put(a, await signedSave(a, { title: "a again", version: 1 }));
    expect(again.status).toBe(409);
    expect(await errorOf(again)).toMatch(/it is at version 1, and this save follows version 0/);
  });

  it.each([
    ["signed for another chain", async (id: string) => signedSave(id, { title: "x", version: 1, chainId: 1 }), 400, /The signature is for chain 1, but this Backstop serves chain 31337/],
    ["signed over other content than it sends", async (id: string) => signedSave(id, { title: "x", version: 1, signedContent: "{}" }), 401, /The signature is not 0x[0-9a-f]{40}'s/],
    ["signed for another draft", async (id: string) => signedSave(id, { title: "x", version: 1, signedId: "f".repeat(32) }), 401, /The signature is not 0x[0-9a-f]{40}'s/],
    ["signed for another version than it claims", async (id: string) => ({ ...(await signedSave(id, { title: "x", version: 1 })), version: 2 }), 401, /version 2/],
    ["a change to a draft that does not exist", async (id: string) => signedSave(id, { title: "x", version: 3 }), 409, /There is no draft [0-9a-f]{32} to change/],
    ["content that is not a builder draft", async (id: string) => ({ ...(await signedSave(id, { title: "x", version: 1 })), content: '{"title":1}' }), 400, /The draft's content is not a builder draft: title/],
    ["a field a save does not have", async (id: string) => ({ ...(await signedSave(id, { title: "x", version: 1 })), admin: true }), 400, /has fields a draft save does not: admin/],
    ["no signature", async (id: string) => ({ ...(await signedSave(id, { title: "x", version: 1 })), signature: undefined }), 400, /signature is required/],
    ["a body that is not JSON", async () => "author=0x1", 400, /the body is not JSON/],
  ] as const)("refuses a save %s, in words, and stores nothing", async (_, body, status, message) => {
    const id = newId();
    const response = await put(id, await body(id));
    expect(response.status).toBe(status);
    expect(await errorOf(response)).toMatch(message);
    expect((await answerDraft(id, { db })).status).toBe(404);
  });

  it("refuses a body over the size limit without reading it all", async () => {
    const id = newId();
    const response = await put(id, "x".repeat(DRAFT_MAX_BODY_BYTES + 1));
    expect(response.status).toBe(413);
    expect(await errorOf(response)).toMatch(/at most 64000 are accepted/);
  });

  it("refuses an id that is not one, in words", async () => {
    const response = await answerDraft("../etc", { db });
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toBe('"../etc" is not a draft id: 32 lower-case hexadecimal characters');
  });
});

describe("an author's drafts", () => {
  it("lists that author's drafts only, the most recently saved first", async () => {
    const lister = account("lister");
    const [first, second] = [newId(), newId()];
    await put(first, await signedSave(first, { title: "first", version: 1, signer: lister }));
    await put(second, await signedSave(second, { title: "second", version: 1, signer: lister }));
    await put(first, await signedSave(first, { title: "first, edited", version: 2, signer: lister }));
    const list = draftListWire.parse(await (await answerDraftList(new Request(`http://backstop.test/api/drafts?author=${lister.address}`), { db })).json());
    expect(list.drafts.map((d) => [d.title, d.version])).toEqual([
      ["first, edited", 2],
      ["second", 1],
    ]);
  });

  it("refuses a query without an author address, in words", async () => {
    const response = await answerDraftList(new Request("http://backstop.test/api/drafts?author=me"), { db });
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toBe("author: must be an address: 0x followed by 40 hexadecimal characters");
  });
});
