import type { Metadata, Viewport } from "next";
import Link from "next/link";
import "./globals.css";
import { Providers } from "./providers";
import { LiveRefresh } from "@/components/live-refresh";
import { NavLinks } from "@/components/nav-links";
import { ConnectButton } from "@/components/wallet/connect-button";
import type { ClientDeployment } from "@/components/wallet/deployment-context";
import { chainConfig, loadDeployment } from "@/lib/env";
import { headers } from "next/headers";
import { wagmiCookie } from "@/lib/server/wagmiCookie";

export const metadata: Metadata = {
  title: { default: "Backstop", template: "%s · Backstop" },
  description: "Risk governance for a perpetual-futures clearinghouse: live system risk, proposal impact before the vote, and on-chain governance.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1, themeColor: "#0a0a0a" };

async function clientDeployment(): Promise<ClientDeployment | null> {
  try {
    const deployment = await loadDeployment(chainConfig());
    return { chainId: deployment.chainId, contracts: deployment.contracts };
  } catch {
    return null; // pages say what is missing; the wallet waits for a deployment
  }
}

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const deployment = await clientDeployment();
  // Only wagmi's own cookie reaches the client, so the first render already knows the wallet.
  const cookie = wagmiCookie((await headers()).get("cookie"));
  return (
    <html lang="en">
      <body className="min-h-screen">
        <Providers deployment={deployment} cookie={cookie}>
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-neutral-800 focus:px-3 focus:py-2">
          Skip to content
        </a>
        <header className="relative border-b border-neutral-800 bg-neutral-950/80">
          <div className="mx-auto flex max-w-7xl items-center gap-2 px-4 py-3 sm:gap-3 lg:gap-6">
            <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight text-neutral-50">
              <span aria-hidden className="inline-block h-3 w-3 rounded-sm bg-emerald-500" />
              Backstop
            </Link>
            <NavLinks />
            <span className="ml-auto">
              <LiveRefresh />
            </span>
            {deployment ? <ConnectButton /> : null}
          </div>
        </header>
        <main id="main" className="mx-auto max-w-7xl px-4 py-6">
          {children}
        </main>
        </Providers>
      </body>
    </html>
  );
}
