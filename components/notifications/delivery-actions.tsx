"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { callNotificationsApi } from "./call-notifications-api";

/** A button that calls the notifications API and refreshes the page, saying in words when it failed. */
function ActionButton({ path, method, label, name }: { path: string; method: string; label: string; name: string }) {
  const router = useRouter();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  async function run() {
    setBusy(true);
    setError(undefined);
    try {
      await callNotificationsApi(path, { method });
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }
  return (
    <span className="inline-flex flex-col gap-1">
      <button type="button" aria-label={name} disabled={busy} onClick={() => void run()} className="rounded border border-neutral-600 px-2 py-0.5 text-xs text-neutral-100 hover:bg-neutral-800 disabled:opacity-50">
        {label}
      </button>
      {error ? <span role="alert" className="text-xs text-red-300">{error}</span> : null}
    </span>
  );
}

export function RetryDelivery({ id, event }: { id: string; event: string }) {
  return <ActionButton path={`/api/notifications/deliveries/${id}/retry`} method="POST" label="Retry now" name={`Retry now: ${event}`} />;
}

export function RemoveSubscription({ id, name }: { id: string; name: string }) {
  return <ActionButton path={`/api/notifications/subscriptions/${id}`} method="DELETE" label="Remove" name={`Remove ${name}`} />;
}
