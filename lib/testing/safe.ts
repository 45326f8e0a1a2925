/**
 * A real Safe (Safe{Wallet}'s smart account, v1.5.0 from the npm registry's
 * @safe-global/safe-smart-account build artifacts) on a local chain, for tests of contract-wallet
 * signatures (ERC-1271): the singleton, its proxy factory and the CompatibilityFallbackHandler
 * that answers `isValidSignature`, then a Safe of one owner. `signAsSafeOwner` is what Safe{Wallet}
 * hands back when a dapp asks the Safe to sign typed data: the owner's signature of the
 * `SafeMessage` wrapping the digest, which the Safe checks against its owners.
 */

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { encodeFunctionData, hashTypedData, zeroAddress, type Abi, type Account, type Address, type Hex, type PublicClient, type TypedDataDefinition, type WalletClient } from "viem";

const require = createRequire(import.meta.url);

function artifact(path: string): { abi: Abi; bytecode: Hex } {
  const json = JSON.parse(readFileSync(require.resolve(`@safe-global/safe-smart-account/build/artifacts/contracts/${path}`), "utf8")) as { abi: Abi; bytecode: Hex };
  return { abi: json.abi, bytecode: json.bytecode };
}

export interface DeploySafeParameters {
  publicClient: PublicClient;
  walletClient: WalletClient;
  /** Pays for the deployments (an unlocked node account). */
  deployer: Address;
  owner: Address;
}

/** Deploys the Safe contracts and a 1-of-1 Safe owned by `owner`; resolves with the Safe's address. */
export async function deploySafe({ publicClient, walletClient, deployer, owner }: DeploySafeParameters): Promise<Address> {
  const deploy = async ({ abi, bytecode }: { abi: Abi; bytecode: Hex }) => {
    const hash = await walletClient.deployContract({ abi, bytecode, account: deployer, chain: walletClient.chain ?? null });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (!receipt.contractAddress) throw new Error("a Safe contract did not deploy");
    return receipt.contractAddress;
  };
  const safe = artifact("Safe.sol/Safe.json");
  const factory = artifact("proxies/SafeProxyFactory.sol/SafeProxyFactory.json");
  const singleton = await deploy(safe);
  const factoryAddress = await deploy(factory);
  const handler = await deploy(artifact("handler/CompatibilityFallbackHandler.sol/CompatibilityFallbackHandler.json"));
  const initializer = encodeFunctionData({ abi: safe.abi, functionName: "setup", args: [[owner], 1n, zeroAddress, "0x", handler, zeroAddress, 0n, zeroAddress] });
  const { request, result } = await publicClient.simulateContract({ address: factoryAddress, abi: factory.abi, functionName: "createProxyWithNonce", args: [singleton, initializer, 0n], account: deployer });
  await publicClient.waitForTransactionReceipt({ hash: await walletClient.writeContract(request as never) });
  return result as Address;
}

/** The signature a 1-of-1 Safe gives for typed data: its owner's signature of the SafeMessage over the data's digest. */
export async function signAsSafeOwner(owner: Account & { signTypedData: NonNullable<Account["signTypedData"]> }, safe: Address, chainId: number, typedData: TypedDataDefinition): Promise<Hex> {
  const digest = hashTypedData(typedData);
  return owner.signTypedData({
    domain: { chainId, verifyingContract: safe },
    types: { SafeMessage: [{ name: "message", type: "bytes" }] },
    primaryType: "SafeMessage",
    message: { message: digest },
  });
}
