"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useHydrated } from "@/lib/hooks/useWalletAccount";
import { callNotificationsApi } from "./call-notifications-api";

export interface CreateSubscriptionProps {
  /** The event kinds and what each is called, in order. */
  kinds: { kind: string; label: string }[];
  formats: { format: string; label: string }[];
}

/**
 * The form for a new webhook subscription. Its secret comes back once, in the answer, and is
 * shown here until the page is left: the server keeps it only to sign with.
 */
export function CreateSubscription({ kinds, formats }: CreateSubscriptionProps) {
  const router = useRouter();
  const hydrated = useHydrated();
  const [status, setStatus] = useState<{ kind: "idle" | "pending" } | { kind: "created"; name: string; secret: string } | { kind: "failed"; message: string }>({ kind: "idle" });

  async function create(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setStatus({ kind: "pending" });
    try {
      const response = await callNotificationsApi("/api/notifications/subscriptions", {
        method: "POST",
        body: { name: form.get("name"), url: form.get("url"), format: form.get("format"), events: form.getAll("events") },
      });
      const { subscription, secret } = (await response.json()) as { subscription: { name: string }; secret: string };
      setStatus({ kind: "created", name: subscription.name, secret });
      router.refresh();
    } catch (error) {
      setStatus({ kind: "failed", message: (error as Error).message });
    }
  }

  return (
    <form onSubmit={create} aria-label="New webhook subscription" className="space-y-3 rounded border border-neutral-800 p-3">
      <div className="flex flex-wrap gap-3">
        <label className="flex flex-col gap-1 text-xs text-neutral-400">
          Name
          <input name="name" required maxLength={80} className="rounded border border-neutral-700 bg-neutral-900 px-2 py-1 text-sm text-neutral-100" />
        </label>
        <label className="flex min-w-[16rem] flex-1 flex-col gap-1 text-xs text-neutral-400">
          Webhook URL
          <input name="url" type="url" required placeholder="https://hooks.slack.com/services/…" className="rounded border border-neutral-700 bg-neutral-900 px-2 py-1 text-sm text-neutral-100" />
        </label>
        <label className="flex flex-col gap-1 text-xs text-neutral-400">
          Format
          <select name="format" className="rounded border border-neutral-700 bg-neutral-900 px-2 py-1 text-sm text-neutral-100">
            {formats.map((f) => (
              <option key={f.format} value={f.format}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <fieldset className="flex flex-wrap gap-x-4 gap-y-1 text-sm text-neutral-200">
        <legend className="mb-1 text-xs text-neutral-400">Events</legend>
        {kinds.map((k) => (
          <label key={k.kind} className="flex items-center gap-1.5">
            <input type="checkbox" name="events" value={k.kind} defaultChecked />
            {k.label}
          </label>
        ))}
      </fieldset>
      {/* Not before hydration: the browser would submit the form itself, the webhook URL in the address. */}
      <button type="submit" disabled={!hydrated || status.kind === "pending"} className="rounded border border-emerald-700 px-3 py-1.5 text-sm text-emerald-200 disabled:opacity-50">
        Subscribe
      </button>
      <div role="status" aria-live="polite" className="text-sm">
        {status.kind === "pending" ? <span className="text-amber-300">Subscribing…</span> : null}
        {status.kind === "failed" ? <span className="text-red-300">Not subscribed: {status.message}</span> : null}
        {status.kind === "created" ? (
          <span className="text-emerald-300">
            Subscribed “{status.name}”. Its signing secret, shown this once: <code aria-label="Signing secret" className="select-all break-all font-mono text-neutral-100">{status.secret}</code>
          </span>
        ) : null}
      </div>
    </form>
  );
}
