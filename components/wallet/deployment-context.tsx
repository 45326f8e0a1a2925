"use client";

import { createContext, useContext } from "react";
import type { Deployment } from "@/lib/contracts/deployment";

/** The public part of the deployment (chain id and addresses), handed from the server layout. */
export type ClientDeployment = Pick<Deployment, "chainId" | "contracts">;

const Context = createContext<ClientDeployment | null>(null);

export const DeploymentProvider = Context.Provider;

export function useDeployment(): ClientDeployment {
  const value = useContext(Context);
  if (!value) throw new Error("useDeployment needs the layout's DeploymentProvider");
  return value;
}
