import { apiError, methodsNotAllowed } from "@/lib/api/apiError";
import { retryDelivery } from "@/lib/notify/notifyStore";
import { serverDatabase } from "@/lib/server/database";
import { operatorRefusal } from "@/lib/server/operator";

export const dynamic = "force-dynamic";

/** POST /api/notifications/deliveries/ID/retry — a failed or waiting delivery made due now; the delivery loop sends it within a tick. */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const refused = operatorRefusal(request);
  if (refused) return refused;
  const { id } = await params;
  if (!/^\d{1,18}$/.test(id)) return apiError(400, `"${id.slice(0, 40)}" is not a delivery id`);
  if (!(await retryDelivery(await serverDatabase(), id))) return apiError(409, `delivery ${id} is not failed or waiting: it was delivered, is being sent, or does not exist`);
  return new Response(null, { status: 202 });
}

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed("/api/notifications/deliveries/ID/retry", ["POST"]);
