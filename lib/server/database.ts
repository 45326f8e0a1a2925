/**
 * The server process's one connection to Backstop's database (lib/db/database.ts), opened on
 * first use. Kept on globalThis so that Next's development server, which re-evaluates modules,
 * does not open the embedded database a second time (PGlite allows one opener per directory).
 */

import { openDatabase, type Database } from "../db/database.ts";

const slot = globalThis as typeof globalThis & { backstopDatabase?: Promise<Database> };

export function serverDatabase(): Promise<Database> {
  slot.backstopDatabase ??= openDatabase().catch((error: unknown) => {
    // A failed open is retried on the next request instead of being remembered forever.
    slot.backstopDatabase = undefined;
    throw error;
  });
  return slot.backstopDatabase;
}
