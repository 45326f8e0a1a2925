/**
 * Backstop's own database: the relay's log, webhook subscriptions and their deliveries, shared
 * drafts. Postgres when `DATABASE_URL` is set (production, several servers on one database);
 * otherwise PGlite, Postgres compiled to WebAssembly and run in this process, so the demo needs no
 * service to install (TOOLCHAIN.md). Both speak the same SQL: one schema, one set of queries.
 *
 * - BACKSTOP_DB_DIR   PGlite's data directory when DATABASE_URL is unset (default .demo/db);
 *                     "memory://" keeps it in memory (tests).
 *
 * PGlite serves one process: two servers on the embedded default each have their own database.
 * Running several servers is what DATABASE_URL is for.
 */

import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { BackstopError } from "../errors/backstopError.ts";
import { MIGRATIONS, type Migration } from "./migrations.ts";
import { setAsideOtherPostgres } from "./pgliteDirectory.ts";

/** What a query needs: parameterised SQL ($1, $2, …) and its values. */
export interface Queryable {
  query<Row extends object>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Runs statements with no parameters, several separated by semicolons (a migration). */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  kind: "pglite" | "postgres";
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export class DatabaseError extends BackstopError {
  override name = "DatabaseError";
}

export interface DatabaseOptions {
  url?: string;
  dataDir?: string;
  migrations?: readonly Migration[];
}

/** Opens the database the environment names and brings its schema up to date. */
export async function openDatabase({ url = process.env.DATABASE_URL || undefined, dataDir = process.env.BACKSTOP_DB_DIR || ".demo/db", migrations = MIGRATIONS }: DatabaseOptions = {}): Promise<Database> {
  const db = url ? await openPostgres(url) : await openPglite(dataDir);
  await migrate(db, migrations);
  return db;
}

async function openPglite(dataDir: string): Promise<Database> {
  const { PGlite } = await import("@electric-sql/pglite");
  const inMemory = dataDir.startsWith("memory://");
  const path = inMemory ? dataDir : resolve(/*turbopackIgnore: true*/ dataDir);
  if (!inMemory) {
    const aside = await setAsideOtherPostgres(path);
    if (aside) console.error(`database: ${dataDir} was written by an older embedded Postgres, which this one cannot open: kept in ${aside}, and a new database started`);
    await mkdir(path, { recursive: true });
  }
  const pg = new PGlite(path);
  await pg.waitReady.catch((error: unknown) => {
    throw new DatabaseError(`The embedded database in ${dataDir} did not open: ${errorText(error)}. Another Backstop process may be using it; set DATABASE_URL to share a Postgres between processes.`);
  });
  return {
    kind: "pglite",
    query: async (sql, params) => (await pg.query(sql, params as unknown[])).rows as never,
    exec: async (sql) => void (await pg.exec(sql)),
    async transaction(work) {
      const result = await pg.transaction((tx) =>
        work({
          query: async (sql, params) => (await tx.query(sql, params as unknown[])).rows as never,
          exec: async (sql) => void (await tx.exec(sql)),
        }),
      );
      // PGlite answers undefined only for a transaction its work rolled back with tx.rollback(),
      // which the Queryable handed to work does not offer.
      return result!;
    },
    close: () => pg.close(),
  };
}

async function openPostgres(url: string): Promise<Database> {
  const { default: pg } = await import("pg");
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5_000 });
  // An idle client's error (the server restarted) must not crash the process: the next query reconnects.
  pool.on("error", () => {});
  const run = async (client: { query: typeof pool.query }, sql: string, params?: readonly unknown[]) => {
    try {
      return (await client.query(sql, params as unknown[])).rows;
    } catch (error) {
      throw isConnectionError(error) ? new DatabaseError(`The database at DATABASE_URL is unreachable: ${errorText(error)}`) : error;
    }
  };
  await run(pool, "select 1");
  return {
    kind: "postgres",
    query: (sql, params) => run(pool, sql, params) as never,
    exec: async (sql) => void (await run(pool, sql)),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query("begin");
        const result = await work({ query: (sql, params) => run(client as never, sql, params) as never, exec: async (sql) => void (await run(client as never, sql)) });
        await client.query("commit");
        return result;
      } catch (error) {
        await client.query("rollback").catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/**
 * Applies, in order, the migrations not yet recorded in `backstop_migrations`. An advisory lock
 * keeps two servers starting together on one Postgres from applying the same one twice.
 */
export async function migrate(db: Database, migrations: readonly Migration[]): Promise<void> {
  await db.transaction(async (tx) => {
    if (db.kind === "postgres") await tx.query("select pg_advisory_xact_lock(7271)");
    await tx.query("create table if not exists backstop_migrations (id text primary key, applied_at timestamptz not null default now())");
    const applied = new Set((await tx.query<{ id: string }>("select id from backstop_migrations")).map((r) => r.id));
    for (const m of migrations) {
      if (applied.has(m.id)) continue;
      await tx.exec(m.sql);
      await tx.query("insert into backstop_migrations (id) values ($1)", [m.id]);
    }
  });
}

function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code ?? "";
  return ["ECONNREFUSED", "ENOTFOUND", "ETIMEDOUT", "ECONNRESET", "57P01", "57P03"].includes(code) || /timeout exceeded when trying to connect/i.test(errorText(error));
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
