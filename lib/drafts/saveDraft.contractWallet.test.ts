/**
 * A contract wallet saves a draft: its owner signs, and the server accepts the signature because
 * the wallet's ERC-1271 isValidSignature says it is its own (viem's verifyTypedData action, on a
 * real anvil). The wallet is a minimal ERC-1271 contract compiled here with solc-js — one owner
 * key, as a 1-of-1 Safe would check it — not a Safe: Safe's contracts are not needed to show the
 * server asks the wallet.
 */

import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPublicClient, createWalletClient, http, keccak256, stringToHex, type Abi, type Address, type Hex, type PublicClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { startAnvil, type AnvilInstance } from "../local/anvil.ts";
import { openDatabase, type Database } from "../db/database.ts";
import { draftTypedData } from "./draftTypedData.ts";
import { saveDraft } from "./saveDraft.ts";

const OWNER_WALLET = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;
contract OwnerWallet {
    address public immutable owner;
    constructor(address owner_) { owner = owner_; }
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        if (signature.length != 65) return 0xffffffff;
        bytes32 r = bytes32(signature[0:32]);
        bytes32 s = bytes32(signature[32:64]);
        uint8 v = uint8(signature[64]);
        return ecrecover(hash, v, r, s) == owner ? bytes4(0x1626ba7e) : bytes4(0xffffffff);
    }
}`;

function compileOwnerWallet(): { abi: Abi; bytecode: Hex } {
  const solc = createRequire(import.meta.url)("solc") as { compile(input: string): string };
  const input = { language: "Solidity", sources: { "OwnerWallet.sol": { content: OWNER_WALLET } }, settings: { evmVersion: "cancun", outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } } } };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as { contracts: Record<string, Record<string, { abi: Abi; evm: { bytecode: { object: string } } }>> };
  const contract = output.contracts["OwnerWallet.sol"]!.OwnerWallet!;
  return { abi: contract.abi, bytecode: `0x${contract.evm.bytecode.object}` };
}

const owner = privateKeyToAccount(keccak256(stringToHex("contract wallet owner")));
const stranger = privateKeyToAccount(keccak256(stringToHex("not the owner")));

let anvil: AnvilInstance;
let client: PublicClient;
let db: Database;
let wallet: Address;
beforeAll(async () => {
  anvil = await startAnvil();
  client = createPublicClient({ chain: foundry, transport: http(anvil.rpcUrl) });
  const [deployer] = await createWalletClient({ chain: foundry, transport: http(anvil.rpcUrl) }).getAddresses();
  const { abi, bytecode } = compileOwnerWallet();
  const hash = await createWalletClient({ chain: foundry, account: deployer!, transport: http(anvil.rpcUrl) }).deployContract({ abi, bytecode, args: [owner.address] });
  wallet = (await client.waitForTransactionReceipt({ hash })).contractAddress!;
  db = await openDatabase({ url: undefined, dataDir: "memory://" });
}, 60_000);
afterAll(async () => {
  await db?.close();
  await anvil?.stop();
});

const content = JSON.stringify({ title: "From the treasury Safe", body: "", actions: [] });
const id = "c0000000000000000000000000000001";

describe("a contract wallet's draft", () => {
  it("is saved when the wallet's owner signs (ERC-1271), and refused when another key does", async () => {
    const typed = draftTypedData({ id, content, version: 1, chainId: foundry.id });
    const save = async (signer: typeof owner) => saveDraft(db, { id, chainId: foundry.id, client, save: { author: wallet.toLowerCase() as Address, chainId: foundry.id, version: 1, content, signature: await signer.signTypedData(typed) } });

    const refused = await save(stranger);
    expect(refused).toMatchObject({ ok: false, status: 401 });

    const saved = await save(owner);
    expect(saved).toMatchObject({ ok: true, draft: { id, author: wallet.toLowerCase(), version: 1 } });
  });

  it("is refused without a chain client: a key's signature is not the wallet's own", async () => {
    const other = "c0000000000000000000000000000002";
    const signature = await owner.signTypedData(draftTypedData({ id: other, content, version: 1, chainId: foundry.id }));
    expect(await saveDraft(db, { id: other, chainId: foundry.id, save: { author: wallet.toLowerCase() as Address, chainId: foundry.id, version: 1, content, signature } })).toMatchObject({ ok: false, status: 401 });
  });
});
