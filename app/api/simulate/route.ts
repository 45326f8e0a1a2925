import { apiError, methodsNotAllowed } from "@/lib/api/apiError";
import { keccak256, toHex } from "viem";
import { parseJsonBody } from "@/lib/api/parseJsonBody";
import { parseQuery } from "@/lib/api/parseQuery";
import { simulateCallsBody, simulateQuery, simulateQueryKeys } from "@/lib/api/schemas";
import { readProposals } from "@/lib/actions/readProposals";
import { simulateAt } from "@/lib/server/forkSimulations";
import { findInLatest, getContext, getLatestSnapshot } from "@/lib/server/snapshot";
import { publicErrorMessage } from "@/lib/server/publicError";
import type { SimulationWire } from "@/lib/api/wire";

export const dynamic = "force-dynamic";

/** GET /api/simulate?proposal=ID — the proposal's exact calls executed on a fork of the latest block, as the timelock. */
export async function GET(request: Request) {
  const query = parseQuery(new URL(request.url).searchParams, simulateQuery, simulateQueryKeys);
  if (!query.ok) return apiError(400, query.error);
  try {
    const { client } = await getContext();
    const result = await findInLatest(async ({ snapshot, deployment }) => (await readProposals(client, { deployment, blockNumber: snapshot.blockNumber })).find((p) => p.id === BigInt(query.value.proposal)));
    if ("error" in result) return apiError(503, result.error);
    const { read, found } = result;
    if (!found) return apiError(404, `there is no proposal ${query.value.proposal}`);
    const calls = found.targets.map((target, i) => ({ target, value: found.values[i]!, calldata: found.calldatas[i]! }));
    return Response.json((await simulateAt(query.value.proposal, { number: read.snapshot.blockNumber, hash: read.snapshot.blockHash }, read.deployment, calls)) satisfies SimulationWire);
  } catch (error) {
    return apiError(503, `the fork simulation failed: ${publicErrorMessage(error)}`);
  }
}

/**
 * POST /api/simulate {calls} — a draft's calls (the builder's, before anyone proposes them)
 * executed on a fork of the latest block as the timelock, the same report as a proposal's. Kept
 * per calls and block, like a proposal's.
 */
export async function POST(request: Request) {
  const body = await parseJsonBody(request, simulateCallsBody, "simulation");
  if (!body.ok) return apiError(400, body.error);
  try {
    const read = await getLatestSnapshot();
    const calls = body.value.calls.map((c) => ({ target: c.target, value: BigInt(c.value), calldata: c.calldata as `0x${string}` }));
    const id = `draft:${keccak256(toHex(JSON.stringify(body.value.calls)))}`;
    return Response.json((await simulateAt(id, { number: read.snapshot.blockNumber, hash: read.snapshot.blockHash }, read.deployment, calls)) satisfies SimulationWire);
  } catch (error) {
    return apiError(503, `the fork simulation failed: ${publicErrorMessage(error)}`);
  }
}

export const { PUT, PATCH, DELETE } = methodsNotAllowed("/api/simulate", ["GET", "POST"]);
