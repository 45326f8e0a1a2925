/**
 * The API's response types, shared by the routes that send them (lib/server) and the browser code
 * that reads them (lib/query, components): one type per response, so client code never imports a
 * server module, even for a type.
 */

/** One row of the accounts table, plain JSON. */
export interface AccountRow {
  address: `0x${string}`;
  equityUsd: number;
  notionalUsd: number;
  health: number | null;
  leverage: number | null;
  /** Nearest liquidation price among its positions, as a signed fraction of that market's mark. */
  distanceToLiquidation: number | null;
  markets: string[];
  adlLight: number | null;
  liquidatable: boolean;
}

/** GET /api/simulate: a proposal executed on a fork (lib/fork/simulateProposal), amounts as decimal strings. */
export interface SimulationWire {
  forkBlock: string;
  executes: boolean;
  calls: { target: `0x${string}`; status: "success" | "reverted" | "not run"; revert?: string; gasUsed: string; events: (string | null)[] }[];
  stateChanges: { what: string; before: string; after: string }[];
  newlyLiquidatable: `0x${string}`[];
  blindSpots: string[];
  storageChanges: { address: `0x${string}`; knownAs?: string; slot: `0x${string}`; before: `0x${string}`; after: `0x${string}` }[];
  contracts: { address: `0x${string}`; knownAs?: string; codeHash: `0x${string}` }[];
  movements: { asset: string; from: `0x${string}`; to: `0x${string}`; amount: string }[];
  roleChanges: { contract: `0x${string}`; knownAs?: string; role: string; account: `0x${string}`; change: "granted" | "revoked" }[];
  gasUsed: string;
}
