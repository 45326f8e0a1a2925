import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "./database.ts";

const migrations = [
  { id: "001-notes", sql: "create table notes (id serial primary key, body text not null); create index notes_body on notes (body)" },
  { id: "002-note-author", sql: "alter table notes add column author text" },
];

describe("openDatabase on the embedded default (PGlite)", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it("applies each migration once, and a reopened directory keeps its rows and its schema", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "backstop-db-"));
    dirs.push(dataDir);
    const first = await openDatabase({ url: undefined, dataDir, migrations });
    expect(first.kind).toBe("pglite");
    await first.query("insert into notes (body, author) values ($1, $2)", ["kept", "0xabc"]);
    await first.close();

    const again = await openDatabase({ url: undefined, dataDir, migrations });
    expect(await again.query("select body, author from notes")).toEqual([{ body: "kept", author: "0xabc" }]);
    expect((await again.query<{ id: string }>("select id from backstop_migrations order by id")).map((r) => r.id)).toEqual(["001-notes", "002-note-author"]);
    await again.close();
  });

  it("rolls a transaction back when its work throws, and commits it when it resolves", async () => {
    const db = await openDatabase({ url: undefined, dataDir: "memory://", migrations });
    await expect(
      db.transaction(async (tx) => {
        await tx.query("insert into notes (body) values ($1)", ["lost"]);
        throw new Error("refused");
      }),
    ).rejects.toThrow("refused");
    await db.transaction((tx) => tx.query("insert into notes (body) values ($1)", ["kept"]));
    expect(await db.query("select body from notes")).toEqual([{ body: "kept" }]);
    await db.close();
  });

  it("says in words when DATABASE_URL names a server that is not there", async () => {
    await expect(openDatabase({ url: "postgres://backstop@127.0.0.1:9/none", migrations })).rejects.toThrow(/The database at DATABASE_URL is unreachable/);
  });
});
