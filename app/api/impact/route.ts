import { applyChanges, computeAdlLights, computeHealth, type ProtocolSnapshot } from "@/engine/index";
import { apiError, methodsNotAllowed } from "@/lib/api/apiError";
import { parseQuery } from "@/lib/api/parseQuery";
import { impactQuery, impactQueryKeys } from "@/lib/api/schemas";
import { decodeCall } from "@/lib/codec/governanceCodec";
import { readProposals } from "@/lib/actions/readProposals";
import { findInLatest, getContext } from "@/lib/server/snapshot";
import { publicErrorMessage } from "@/lib/server/publicError";
import type { ImpactAccountWire, ImpactWire } from "@/lib/api/wire";

export const dynamic = "force-dynamic";

function accountView(snapshot: ProtocolSnapshot, address: `0x${string}`): ImpactAccountWire | null {
  const account = snapshot.accounts.find((a) => a.address === address);
  if (!account) return null;
  const h = computeHealth(snapshot, account);
  const lights = computeAdlLights(snapshot);
  return {
    health: h.health,
    liquidatable: h.liquidatable,
    positions: h.positions.map((p) => ({
      market: snapshot.markets[p.marketId]!.symbol,
      liquidationPrice: p.liquidationPriceWad === null ? null : Number(p.liquidationPriceWad) / 1e18,
      adlLight: lights.get(`${address}:${p.marketId}`)?.light ?? null,
    })),
  };
}

/** GET /api/impact?proposal=ID&account=0x… — one account's health, liquidation prices and ADL lights today and if the proposal passes. */
export async function GET(request: Request) {
  const query = parseQuery(new URL(request.url).searchParams, impactQuery, impactQueryKeys);
  if (!query.ok) return apiError(400, query.error);
  const { proposal, account } = query.value;
  try {
    const { client } = await getContext();
    const result = await findInLatest(async ({ snapshot, deployment }) => (await readProposals(client, { deployment, blockNumber: snapshot.blockNumber })).find((p) => p.id === BigInt(proposal)));
    if ("error" in result) return apiError(503, result.error);
    const { read, found } = result;
    if (!found) return apiError(404, `there is no proposal ${proposal}`);
    const { snapshot, deployment } = read;
    const changes = found.targets.flatMap((target, i) => {
      const d = decodeCall({ target, value: found.values[i]!, calldata: found.calldatas[i]! }, deployment);
      return d.kind === "change" ? [d.change] : [];
    });
    const after = applyChanges(snapshot, changes).snapshot;
    return Response.json({ before: accountView(snapshot, account), after: accountView(after, account) } satisfies ImpactWire);
  } catch (error) {
    return apiError(503, publicErrorMessage(error));
  }
}

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("/api/impact", ["GET"]);
