/**
 * PGlite's data directories across a Postgres major version. PGlite 0.3 runs Postgres 17; a
 * directory PGlite 0.2 wrote (Postgres 16: the demo's before the upgrade) does not open with it,
 * and PGlite says only "unreachable". A directory says which major wrote it in its PG_VERSION.
 * What to do with an older one depends on what it holds: the indexer's is derived from the chain
 * and is rebuilt (startIndexer empties it; `npm run indexer`, which starts Ponder itself, says
 * so and stops: indexer/ponder.config.ts); Backstop's own database holds what users wrote
 * (drafts, subscriptions), so it is moved aside, kept, and a new one started (openDatabase).
 *
 * Example: .demo/db-3000 written by Postgres 16 → moved to .demo/db-3000.postgres16, a new
 * .demo/db-3000 made, and the server says so once.
 */

import { existsSync, readFileSync } from "node:fs";
import { rename } from "node:fs/promises";
import { join } from "node:path";

/** The Postgres major version the pinned PGlite runs (lib/db/pgliteDirectory.test.ts asks it). */
export const PGLITE_POSTGRES_MAJOR = "17";

/** The major version of the Postgres that wrote the database in `dir`, or undefined when it holds none. */
export function postgresMajorOf(dir: string): string | undefined {
  try {
    return readFileSync(join(dir, "PG_VERSION"), "utf8").trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** The major of the other Postgres that wrote the database in `dir` (one this PGlite cannot open), or undefined when none did. */
export function otherPostgresMajor(dir: string): string | undefined {
  const major = postgresMajorOf(dir);
  return major === PGLITE_POSTGRES_MAJOR ? undefined : major;
}

/**
 * Moves `dir` aside when another Postgres major wrote it, to `<dir>.postgres<major>` (`-2`, `-3`…
 * added when that is taken); returns where it went, or undefined when it was left (no database,
 * or one this PGlite opens).
 */
export async function setAsideOtherPostgres(dir: string): Promise<string | undefined> {
  const major = otherPostgresMajor(dir);
  if (major === undefined) return undefined;
  let aside = `${dir}.postgres${major}`;
  for (let k = 2; existsSync(aside); k++) aside = `${dir}.postgres${major}-${k}`;
  await rename(dir, aside);
  return aside;
}
