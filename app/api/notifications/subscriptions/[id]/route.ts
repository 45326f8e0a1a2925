import { apiError, methodsNotAllowed } from "@/lib/api/apiError";
import { deleteSubscription } from "@/lib/notify/notifyStore";
import { serverDatabase } from "@/lib/server/database";
import { operatorRefusal } from "@/lib/server/operator";

export const dynamic = "force-dynamic";

/** DELETE /api/notifications/subscriptions/ID — the subscription and its delivery log removed. */
export async function DELETE(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const refused = operatorRefusal(request);
  if (refused) return refused;
  const { id } = await params;
  if (!/^\d{1,18}$/.test(id)) return apiError(400, `"${id.slice(0, 40)}" is not a subscription id`);
  if (!(await deleteSubscription(await serverDatabase(), id))) return apiError(404, `there is no subscription ${id}`);
  return new Response(null, { status: 204 });
}

export const { GET, POST, PUT, PATCH } = methodsNotAllowed("/api/notifications/subscriptions/ID", ["DELETE"]);
