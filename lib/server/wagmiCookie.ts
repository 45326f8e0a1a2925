/**
 * The wagmi.* cookies of a Cookie header: the only cookies a page reads (the root layout hands
 * them to wagmi, so the first render knows the wallet), and so the only ones the per-block page
 * cache keys a page by (lib/server/pageCache.ts). One function for both, so they cannot drift.
 */
export function wagmiCookie(header: string | null | undefined): string {
  return (header ?? "")
    .split(/;\s*/)
    .filter((c) => c.startsWith("wagmi."))
    .join("; ");
}
