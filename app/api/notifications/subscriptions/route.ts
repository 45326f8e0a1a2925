import { apiError, methodsNotAllowed } from "@/lib/api/apiError";
import { parseJsonBody } from "@/lib/api/parseJsonBody";
import { subscriptionBody } from "@/lib/api/schemas";
import { insertSubscription } from "@/lib/notify/notifyStore";
import { newWebhookSecret } from "@/lib/notify/webhookSignature";
import { checkWebhookUrl } from "@/lib/notify/webhookUrl";
import { serverDatabase } from "@/lib/server/database";
import { notifyLatest } from "@/lib/server/notifications";
import { operatorRefusal } from "@/lib/server/operator";
import { publicErrorMessage } from "@/lib/server/publicError";

export const dynamic = "force-dynamic";

/** How long a new subscription waits for the notify step to catch up with the chain before it is made anyway. */
const CATCH_UP_MS = 10_000;

/**
 * POST /api/notifications/subscriptions { name, url, format, events } — a webhook subscription,
 * answered with its secret, shown this once. The notify step first catches up with the latest
 * block, so the new subscription hears of what happens from now on, not of the chain's past.
 */
export async function POST(request: Request) {
  const refused = operatorRefusal(request);
  if (refused) return refused;
  const body = await parseJsonBody(request, subscriptionBody, "subscription");
  if (!body.ok) return apiError(400, body.error);
  const url = await checkWebhookUrl(body.value.url);
  if (!url.ok) return apiError(400, `the webhook URL is refused: ${url.error}`);
  await Promise.race([notifyLatest().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, CATCH_UP_MS))]);
  try {
    const secret = newWebhookSecret();
    const subscription = await insertSubscription(await serverDatabase(), { ...body.value, url: url.url, secret });
    return Response.json({ subscription, secret }, { status: 201, headers: { "cache-control": "no-store" } });
  } catch (error) {
    return apiError(503, `the subscription was not saved: ${publicErrorMessage(error)}`);
  }
}

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed("/api/notifications/subscriptions", ["POST"]);
