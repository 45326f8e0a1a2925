import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "./database.ts";
import { PGLITE_POSTGRES_MAJOR, otherPostgresMajor, postgresMajorOf, setAsideOtherPostgres } from "./pgliteDirectory.ts";

const migrations = [{ id: "001-notes", sql: "create table notes (id serial primary key, body text not null)" }];

describe("PGlite data directories across Postgres majors", () => {
  const dirs: string[] = [];
  const temporary = async () => {
    const dir = await mkdtemp(join(tmpdir(), "backstop-pgdir-"));
    dirs.push(dir);
    return dir;
  };
  /** A directory as a Postgres of major `major` leaves it: PG_VERSION and the data beside it (here, one file). */
  const writtenBy = async (dir: string, major: string) => {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "PG_VERSION"), `${major}\n`);
    await writeFile(join(dir, "drafts"), "what a user wrote");
  };
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it("names the major of the Postgres the installed PGlite runs, and writes it in a directory it makes", async () => {
    const dir = join(await temporary(), "db");
    const pg = new PGlite(dir);
    const [{ server_version_num }] = (await pg.query<{ server_version_num: string }>("show server_version_num")).rows as [{ server_version_num: string }];
    await pg.close();
    expect(String(Math.floor(Number(server_version_num) / 10_000))).toBe(PGLITE_POSTGRES_MAJOR);
    expect(postgresMajorOf(dir)).toBe(PGLITE_POSTGRES_MAJOR);
    expect(otherPostgresMajor(dir)).toBeUndefined();
  });

  it("moves a directory an older Postgres wrote aside, whole, under a name that says which — a second one beside the first", async () => {
    const root = await temporary();
    const dir = join(root, "db-3000");
    await writtenBy(dir, "16");
    expect(otherPostgresMajor(dir)).toBe("16");
    expect(await setAsideOtherPostgres(dir)).toBe(`${dir}.postgres16`);
    await writtenBy(dir, "16");
    expect(await setAsideOtherPostgres(dir)).toBe(`${dir}.postgres16-2`);
    expect((await readdir(root)).sort()).toEqual(["db-3000.postgres16", "db-3000.postgres16-2"]);
    expect(await readFile(join(root, "db-3000.postgres16", "drafts"), "utf8")).toBe("what a user wrote");
  });

  it("leaves a missing directory, an empty one and one this PGlite wrote where they are", async () => {
    const root = await temporary();
    expect(await setAsideOtherPostgres(join(root, "none"))).toBeUndefined();
    await mkdir(join(root, "empty"));
    expect(await setAsideOtherPostgres(join(root, "empty"))).toBeUndefined();
    await writtenBy(join(root, "current"), PGLITE_POSTGRES_MAJOR);
    expect(await setAsideOtherPostgres(join(root, "current"))).toBeUndefined();
    expect((await readdir(root)).sort()).toEqual(["current", "empty"]);
  });

  it("openDatabase on an older Postgres's directory opens a new database there and keeps the old one aside", async () => {
    const dataDir = join(await temporary(), "db");
    await writtenBy(dataDir, "16");
    const db = await openDatabase({ url: undefined, dataDir, migrations });
    await db.query("insert into notes (body) values ($1)", ["new"]);
    expect(await db.query("select body from notes")).toEqual([{ body: "new" }]);
    await db.close();
    expect(postgresMajorOf(dataDir)).toBe(PGLITE_POSTGRES_MAJOR);
    expect(await readFile(join(`${dataDir}.postgres16`, "drafts"), "utf8")).toBe("what a user wrote");
  });
});
