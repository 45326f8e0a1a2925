/**
 * forwarderProposal(client, { deployment, forwarder, market, raiseWad }) — the proposal the
 * calldata decoder cannot read, as the browser tests make it: the clearinghouse's governance
 * role granted to a forwarder contract, then `market`'s initial and maintenance margins raised by
 * `raiseWad` through the forwarder. Returns the calls and the parameters they set. For the
 * simulation spec and the test that holds the fork's prediction against the chain.
 */

import { encodeFunctionData, type Address, type Hex, type PublicClient } from "viem";
import type { Market, MarketParams } from "../../engine/index.ts";
import { clearinghouseAbi, forwarderAbi } from "../contracts/abis.ts";
import type { Deployment } from "../contracts/deployment.ts";

export interface ForwarderProposal {
  targets: Address[];
  values: bigint[];
  calldatas: Hex[];
  params: MarketParams;
}

export async function forwarderProposal(client: PublicClient, { deployment, forwarder, market, raiseWad }: { deployment: Deployment; forwarder: Address; market: Market; raiseWad: bigint }): Promise<ForwarderProposal> {
  const clearinghouse = deployment.contracts.clearinghouse;
  const params = { ...market.params, imrWad: market.params.imrWad + raiseWad, mmrWad: market.params.mmrWad + raiseWad };
  const governance = await client.readContract({ address: clearinghouse, abi: clearinghouseAbi, functionName: "GOVERNANCE_ROLE" });
  const setParams = encodeFunctionData({
    abi: clearinghouseAbi,
    functionName: "setMarketParams",
    args: [BigInt(market.id), { imr: params.imrWad, mmr: params.mmrWad, liquidationPenalty: params.liquidationPenaltyWad, keeperShare: params.keeperShareWad, oiCapUsd: params.oiCapUsd, concentrationCap: params.concentrationCapWad, oracleMaxAge: params.oracleMaxAgeSec }],
  });
  return {
    targets: [clearinghouse, forwarder],
    values: [0n, 0n],
    calldatas: [encodeFunctionData({ abi: clearinghouseAbi, functionName: "grantRole", args: [governance, forwarder] }), encodeFunctionData({ abi: forwarderAbi, functionName: "forward", args: [clearinghouse, setParams] })],
    params,
  };
}
