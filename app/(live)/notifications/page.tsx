import type { Metadata } from "next";
import { cookies } from "next/headers";
import { CreateSubscription } from "@/components/notifications/create-subscription";
import { RemoveSubscription, RetryDelivery } from "@/components/notifications/delivery-actions";
import { OperatorSignIn, OperatorSignOut } from "@/components/notifications/operator-sign-in";
import { ScrollRegion } from "@/components/ui/scroll-region";
import { Table } from "@/components/ui/table";
import { NOTIFY_EVENT_KINDS, NOTIFY_EVENT_LABELS } from "@/lib/notify/notifyEvent";
import { listDeliveries, listSubscriptions, type DeliveryRecord } from "@/lib/notify/notifyStore";
import { retryPolicyFromEnv } from "@/lib/notify/retryDelay";
import { SIGNATURE_HEADER, IDEMPOTENCY_HEADER } from "@/lib/notify/webhookSignature";
import { serverDatabase } from "@/lib/server/database";
import { isOperatorToken, operatorToken, OPERATOR_COOKIE } from "@/lib/server/operator";
import { publicErrorMessage } from "@/lib/server/publicError";

export const metadata: Metadata = { title: "Notifications" };
export const dynamic = "force-dynamic";

const FORMATS = [
  { format: "slack", label: "Slack ({ text, blocks })" },
  { format: "discord", label: "Discord ({ content, embeds })" },
  { format: "json", label: "JSON, signed" },
];

const STATUS_WORDS: Record<DeliveryRecord["status"], string> = { pending: "Waiting to retry", sending: "Sending", delivered: "Delivered", failed: "Failed" };

/** A webhook URL without its path and query, which for Slack and Discord are the credential. */
function maskUrl(url: string): string {
  const u = new URL(url);
  return u.pathname === "/" && !u.search ? u.origin : `${u.origin}/…`;
}

const time = (d: Date) => d.toISOString().replace("T", " ").slice(0, 19) + " UTC";

/**
 * Webhook notifications: the operator's subscriptions, the form for a new one, and the latest
 * deliveries, failed first, each with its attempts, its last error in words and "Retry now".
 * Readers who are not the operator are pointed at the Atom feed.
 */
export default async function NotificationsPage() {
  const intro = (
    <p className="text-sm text-neutral-400">
      Webhooks tell a Slack or Discord channel, or any HTTPS endpoint, about new proposals, votes ending, outcomes, the timelock, critical risk alerts and the fork watchdog&apos;s findings. Anyone can follow proposals in the{" "}
      <a href="/governance/feed.xml" className="text-sky-300 underline">
        Atom feed
      </a>
      .
    </p>
  );
  if (!operatorToken()) {
    return (
      <div className="space-y-4">
        <h1 className="text-lg font-semibold text-neutral-50">Notifications</h1>
        {intro}
        <p className="text-sm text-neutral-300">Subscriptions are managed by this server&apos;s operator, and it has no BACKSTOP_ADMIN_TOKEN set.</p>
      </div>
    );
  }
  if (!isOperatorToken((await cookies()).get(OPERATOR_COOKIE)?.value)) {
    return (
      <div className="space-y-4">
        <h1 className="text-lg font-semibold text-neutral-50">Notifications</h1>
        {intro}
        <p className="text-sm text-neutral-300">Subscriptions are managed by this server&apos;s operator: sign in with its token (BACKSTOP_ADMIN_TOKEN).</p>
        <OperatorSignIn />
      </div>
    );
  }
  let subscriptions, deliveries;
  try {
    const db = await serverDatabase();
    [subscriptions, deliveries] = await Promise.all([listSubscriptions(db), listDeliveries(db, { limit: 100 })]);
  } catch (error) {
    return <p role="alert" className="text-sm text-red-300">The notifications database could not be read: {publicErrorMessage(error)}</p>;
  }
  const policy = retryPolicyFromEnv();
  return (
    <div className="space-y-6">
      <div className="flex items-center justify-between gap-2">
        <h1 className="text-lg font-semibold text-neutral-50">Notifications</h1>
        <OperatorSignOut />
      </div>
      {intro}
      <p className="text-xs text-neutral-400">
        Each delivery is a POST carrying the event&apos;s idempotency key in the <code>{IDEMPOTENCY_HEADER}</code> header (and the body), signed in <code>{SIGNATURE_HEADER}: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of &quot;t.body&quot; with the secret&gt;</code>. A receiver that does not answer 2xx within {policy.timeoutMs / 1000} s is tried again, up to {policy.maxAttempts} times, waiting longer each time.
      </p>

      <section aria-labelledby="new-subscription" className="space-y-2">
        <h2 id="new-subscription" className="text-sm font-semibold text-neutral-200">New subscription</h2>
        <CreateSubscription kinds={NOTIFY_EVENT_KINDS.map((kind) => ({ kind, label: NOTIFY_EVENT_LABELS[kind] }))} formats={FORMATS} />
      </section>

      <section aria-labelledby="subscriptions" className="space-y-2">
        <h2 id="subscriptions" className="text-sm font-semibold text-neutral-200">Subscriptions</h2>
        {subscriptions.length ? (
          <ScrollRegion label="Subscriptions (scrolls sideways)">
            <Table caption="Subscriptions" className="w-full min-w-[40rem] text-sm" columns={[{ label: "Name", className: "px-2" }, { label: "Receiver", className: "px-2" }, { label: "Format", className: "px-2" }, { label: "Events", className: "px-2" }, { label: "", className: "px-2" }]}>
              {subscriptions.map((s) => (
                <tr key={s.id} className="border-t border-neutral-800 align-top">
                  <td className="px-2 py-1">{s.name}</td>
                  <td className="px-2 py-1 font-mono text-xs">{maskUrl(s.url)}</td>
                  <td className="px-2 py-1">{s.format}</td>
                  <td className="px-2 py-1 text-xs text-neutral-300">{s.events.map((k) => NOTIFY_EVENT_LABELS[k] ?? k).join(", ")}</td>
                  <td className="px-2 py-1 text-right">
                    <RemoveSubscription id={s.id} name={s.name} />
                  </td>
                </tr>
              ))}
            </Table>
          </ScrollRegion>
        ) : (
          <p className="text-sm text-neutral-400">No subscriptions yet.</p>
        )}
      </section>

      <section aria-labelledby="deliveries" className="space-y-2">
        <h2 id="deliveries" className="text-sm font-semibold text-neutral-200">Deliveries, failed first</h2>
        {deliveries.length ? (
          <ScrollRegion label="Deliveries (scrolls sideways)">
            <Table caption="Deliveries" className="w-full min-w-[48rem] text-sm" columns={[{ label: "Event", className: "px-2" }, { label: "Subscription", className: "px-2" }, { label: "Status", className: "px-2" }, { label: "Attempts", align: "right", className: "px-2" }, { label: "Last error", className: "px-2" }, { label: "", className: "px-2" }]}>
              {deliveries.map((d) => (
                <tr key={d.id} className="border-t border-neutral-800 align-top">
                  <td className="px-2 py-1">
                    {d.eventTitle}
                    <div className="break-all font-mono text-xs text-neutral-400">{d.eventKey}</div>
                  </td>
                  <td className="px-2 py-1">{d.subscriptionName}</td>
                  <td className={`px-2 py-1 ${d.status === "failed" ? "text-red-300" : d.status === "delivered" ? "text-emerald-300" : "text-amber-300"}`}>
                    {STATUS_WORDS[d.status]}
                    <div className="text-xs text-neutral-400">{d.status === "delivered" && d.deliveredAt ? time(d.deliveredAt) : d.status === "pending" ? `next at ${time(d.nextAttemptAt)}` : time(d.updatedAt)}</div>
                  </td>
                  <td className="px-2 py-1 text-right font-mono">{d.attempts}</td>
                  <td className="px-2 py-1 text-xs text-neutral-300">{d.lastError ?? "—"}</td>
                  <td className="px-2 py-1 text-right">{d.status === "failed" || d.status === "pending" ? <RetryDelivery id={d.id} event={d.eventTitle} /> : null}</td>
                </tr>
              ))}
            </Table>
          </ScrollRegion>
        ) : (
          <p className="text-sm text-neutral-400">No deliveries yet.</p>
        )}
      </section>
    </div>
  );
}
