"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import { cookieToInitialState, WagmiProvider } from "wagmi";
import { createWagmiConfig } from "@/lib/wagmi";
import { QUERY_RETRY_COUNT, queryRetryDelay } from "@/lib/query/retry";
import { DeploymentProvider, type ClientDeployment } from "@/components/wallet/deployment-context";

export function Providers({ children, deployment, cookie }: { children: React.ReactNode; deployment: ClientDeployment | null; cookie: string }) {
  const [config] = useState(() => createWagmiConfig(deployment?.chainId ?? 31337, deployment?.contracts.multicall3));
  const [initialState] = useState(() => cookieToInitialState(config, cookie));
  const [client] = useState(() => new QueryClient({ defaultOptions: { queries: { refetchOnWindowFocus: false, retry: QUERY_RETRY_COUNT, retryDelay: queryRetryDelay } } }));
  return (
    <WagmiProvider config={config} initialState={initialState} reconnectOnMount={false}>
      <QueryClientProvider client={client}>
        <DeploymentProvider value={deployment}>{children}</DeploymentProvider>
      </QueryClientProvider>
    </WagmiProvider>
  );
}
