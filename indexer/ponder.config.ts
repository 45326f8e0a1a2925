/**
 * The Backstop indexer (Ponder 0.16): every protocol and governance event of one deployment into
 * SQL tables (ponder.schema.ts), by the handlers in src/.
 *
 * Where it reads, from the environment, as the dashboard and the CLI do (lib/env.ts):
 * - BACKSTOP_RPC_URL      JSON-RPC endpoint (default http://127.0.0.1:8545)
 * - BACKSTOP_CHAIN_ID     chain id (default 31337)
 * - BACKSTOP_DEPLOYMENT   deployment file (default deployments/<chainId>.json, from the working directory)
 * Where it writes: DATABASE_URL → that Postgres; otherwise Ponder's embedded PGlite in
 * BACKSTOP_INDEX_DIR (default indexer/.ponder/pglite), nothing to install.
 *
 * Prices are the deployment's oracle's: a governance `setOracle` to another contract is recorded
 * (reserves.oracle) but its prices are not followed, and the index check would report them.
 *
 * On the local chain (31337) the RPC cache is off (anvil's blocks are rewritten by every restart,
 * snapshot and revert), the chain is polled every 100 ms, so a block is queryable ~0.15 s
 * after it is mined (TOOLCHAIN.md), and logs are asked for one request at a time, in parts no
 * bigger than a block's, with no 10 s limit (lib/indexer/localNodeTransport: a big venue's
 * injected blocks); elsewhere Ponder's defaults hold.
 */

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { createConfig } from "ponder";
import { backstopGovernorAbi, backstopTimelockAbi, backstopTokenAbi, clearinghouseAbi, priceOracleAbi } from "../lib/contracts/abis.ts";
import { parseDeploymentText } from "../lib/contracts/deployment.ts";
import { PGLITE_POSTGRES_MAJOR, otherPostgresMajor } from "../lib/db/pgliteDirectory.ts";
import { localNodeTransport } from "../lib/indexer/localNodeTransport.ts";

const chainId = Number(process.env.BACKSTOP_CHAIN_ID || 31337);
const deploymentPath = resolve(process.env.BACKSTOP_DEPLOYMENT || `deployments/${chainId}.json`);
const deployment = parseDeploymentText(readFileSync(deploymentPath, "utf8"), deploymentPath);
const local = chainId === 31337;
const indexDirectory = process.env.BACKSTOP_INDEX_DIR || resolve("indexer/.ponder/pglite");
// PGlite would fail on it with a bare "unreachable" (lib/db/pgliteDirectory.ts); startIndexer rebuilds such an index itself.
const otherMajor = process.env.DATABASE_URL ? undefined : otherPostgresMajor(indexDirectory);
if (otherMajor !== undefined) {
  throw new Error(`the index in ${indexDirectory} was written by an older embedded Postgres (${otherMajor}), which this one (${PGLITE_POSTGRES_MAJOR}) cannot open: delete that directory, and the index is rebuilt from the chain`);
}
const startBlock = deployment.deployBlock;
const rpcUrl = process.env.BACKSTOP_RPC_URL || "http://127.0.0.1:8545";

export default createConfig({
  database: process.env.DATABASE_URL
    ? { kind: "postgres", connectionString: process.env.DATABASE_URL }
    : { kind: "pglite", directory: indexDirectory },
  chains: {
    backstop: {
      id: chainId,
      rpc: local ? localNodeTransport(rpcUrl) : rpcUrl,
      pollingInterval: local ? 100 : 1_000,
      disableCache: local,
    },
  },
  contracts: {
    Clearinghouse: { chain: "backstop", abi: clearinghouseAbi, address: deployment.contracts.clearinghouse, startBlock },
    PriceOracle: { chain: "backstop", abi: priceOracleAbi, address: deployment.contracts.oracle, startBlock },
    Governor: { chain: "backstop", abi: backstopGovernorAbi, address: deployment.contracts.governor, startBlock },
    GovernanceToken: { chain: "backstop", abi: backstopTokenAbi, address: deployment.contracts.governanceToken, startBlock },
    Timelock: { chain: "backstop", abi: backstopTimelockAbi, address: deployment.contracts.timelock, startBlock },
  },
  blocks: {
    /** One row of system history per block, after the block's events. */
    SystemHistory: { chain: "backstop", interval: 1, startBlock },
  },
});
