import Link from "next/link";
import { StaticPage } from "@/components/live-refresh";

/**
 * What a 404 says: which thing was not found, why, and where to go instead. Every not-found page
 * (the app's and each entity route's) renders this, inside the root layout, with no inline style
 * (the pages' Content-Security-Policy allows none without a nonce).
 */
export function NotFoundMessage({ title, children, back }: { title: string; children: React.ReactNode; back: { href: string; label: string } }) {
  return (
    <div role="alert" className="mx-auto max-w-xl space-y-3 rounded-lg border border-neutral-700 bg-neutral-900/60 p-5">
      <StaticPage />
      <h1 className="text-lg font-semibold text-neutral-50">{title}</h1>
      <p className="text-sm text-neutral-300">{children}</p>
      <p className="text-sm">
        <Link className="text-emerald-300 underline" href={back.href}>{back.label}</Link>
      </p>
    </div>
  );
}
