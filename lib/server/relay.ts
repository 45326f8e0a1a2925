/**
 * The server process's relay (lib/relay/createRelay), made on first use from the environment:
 * null when BACKSTOP_RELAYER_KEY is unset (the pages then offer only the wallet's own
 * transactions). The key is read here, on the server, and never leaves it.
 */

import { createRelay, type Relay } from "../relay/createRelay.ts";
import { relayConfig } from "../relay/relayConfig.ts";
import { serverDatabase } from "./database.ts";
import { getContext } from "./snapshot.ts";

const slot = globalThis as typeof globalThis & { backstopRelay?: Promise<Relay | null> };

export function serverRelay(): Promise<Relay | null> {
  slot.backstopRelay ??= (async () => {
    const config = relayConfig();
    if (!config) return null;
    const [db, { client, deployment }] = await Promise.all([serverDatabase(), getContext()]);
    return createRelay({ db, client, relayerKey: config.relayerKey, contracts: deployment.contracts, rules: config.rules });
  })().catch((error: unknown) => {
    slot.backstopRelay = undefined;
    throw error;
  });
  return slot.backstopRelay;
}

/** Whether the relay is on, without opening anything: what a page needs to offer it. */
export function relayEnabled(): boolean {
  return relayConfig() !== null;
}
