import type { NextConfig } from "next";
import { apiContentSecurityPolicy, securityHeaders } from "./lib/server/securityHeaders.ts";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The production server (scripts/serve.ts) compresses responses itself: Next's compression
  // would compress again the bodies the API routes compress once per block.
  compress: false,
  // The server reads deployments/*.json at run time; nothing is fetched at build time.
  typedRoutes: false,
  // Types are checked once, by \`npm run typecheck\` (part of \`npm test\` and of \`npm run build\`):
  // checking them again inside every \`next build\` (the demo's, the e2e run's) cost ~1 min on 2 cores.
  typescript: { ignoreBuildErrors: true },
  // Loaded by Node at run time, not bundled: PGlite reads its WebAssembly and data files from its
  // own package directory, and pg has optional native bindings. piscina starts its threads from
  // its own worker file, which a bundle would not have.
  serverExternalPackages: ["@electric-sql/pglite", "pg", "piscina"],
  // Pages get their Content-Security-Policy (with a per-request nonce) from proxy.ts.
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: apiContentSecurityPolicy }] },
    ];
  },
};

export default nextConfig;
