import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The server reads deployments/*.json at run time; nothing is fetched at build time.
  typedRoutes: false,
};

export default nextConfig;
