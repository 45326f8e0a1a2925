"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useHydrated } from "@/lib/hooks/useWalletAccount";
import { callNotificationsApi } from "./call-notifications-api";

/** The operator's sign-in: the token is sent once and kept by the server in an httpOnly cookie. */
export function OperatorSignIn() {
  const router = useRouter();
  const [token, setToken] = useState("");
  // The token typed before hydration would not reach the state (and Enter would submit the page itself).
  const hydrated = useHydrated();
  const [error, setError] = useState<string>();
  async function signIn(event: React.FormEvent) {
    event.preventDefault();
    setError(undefined);
    try {
      await callNotificationsApi("/api/notifications/session", { method: "POST", body: { token } });
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    }
  }
  return (
    <form onSubmit={signIn} aria-label="Operator sign-in" className="flex flex-wrap items-end gap-2">
      <label className="flex flex-col gap-1 text-xs text-neutral-400">
        Operator token
        <input type="password" required disabled={!hydrated} value={token} onChange={(e) => setToken(e.target.value)} autoComplete="current-password" className="rounded border border-neutral-700 bg-neutral-900 px-2 py-1 text-sm text-neutral-100" />
      </label>
      <button type="submit" disabled={!hydrated} className="rounded border border-neutral-600 px-3 py-1.5 text-sm text-neutral-100 hover:bg-neutral-800 disabled:opacity-50">
        Sign in
      </button>
      {error ? <p role="alert" className="w-full text-sm text-red-300">Not signed in: {error}</p> : null}
    </form>
  );
}

/** Signs the operator out (the cookie removed). */
export function OperatorSignOut() {
  const router = useRouter();
  return (
    <button type="button" onClick={() => void callNotificationsApi("/api/notifications/session", { method: "DELETE" }).then(() => router.refresh())} className="rounded border border-neutral-700 px-2 py-1 text-xs text-neutral-300 hover:bg-neutral-800">
      Sign out
    </button>
  );
}
