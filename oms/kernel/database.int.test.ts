import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScratchDatabase, type ScratchDatabase } from "../../test/postgres";
import { type Database, openDatabase, withoutOwnSync } from "./database";

interface Schema {
  notes: { id: number; text: string };
}

describe("SQLite writes without their own fsync (withoutOwnSync)", () => {
  let dir: string;
  let database: Database<Schema>;
  const synchronous = async () =>
    (await sql<{ synchronous: number }>`pragma synchronous`.execute(database.db)).rows[0]?.synchronous;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "oms-db-"));
    database = openDatabase<Schema>({ sqlitePath: path.join(dir, "t.sqlite") });
    await sql`create table notes (id integer primary key, text text not null)`.execute(database.db);
  });
  afterAll(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("commits what it writes and leaves the connection at FULL (2) again, also when the work fails", async () => {
    expect(await synchronous()).toBe(2);
    const seen = await withoutOwnSync(database.db, async (connection) => {
      await connection.insertInto("notes").values({ id: 1, text: "lease" }).execute();
      return (await sql<{ synchronous: number }>`pragma synchronous`.execute(connection)).rows[0]?.synchronous;
    });
    // NORMAL (1) inside.
    expect(seen).toBe(1);
    expect(await synchronous()).toBe(2);
    expect(await database.db.selectFrom("notes").selectAll().execute()).toEqual([{ id: 1, text: "lease" }]);

    await expect(
      withoutOwnSync(database.db, async (connection) => {
        await connection.insertInto("notes").values({ id: 2, text: "x" }).execute();
        throw new Error("work failed");
      }),
    ).rejects.toThrow("work failed");
    expect(await synchronous()).toBe(2);
  });
});

describe("statements sent (the engine bench's statements per intent)", () => {
  let scratch: ScratchDatabase;
  let database: Database<Schema>;

  beforeAll(async () => {
    scratch = await createScratchDatabase("kernel_count_test");
    database = openDatabase<Schema>({ sqlitePath: "unused.sqlite", databaseUrl: scratch.url });
    await sql`create table notes (id integer primary key, text text not null)`.execute(database.db);
  });
  afterAll(async () => {
    await database.close();
    await scratch.drop();
  });

  it("counts every statement a PostgreSQL handle sends, BEGIN and COMMIT of a transaction included", async () => {
    const before = database.statementsSent() ?? Number.NaN;
    await database.db.insertInto("notes").values({ id: 1, text: "one" }).execute();
    expect(database.statementsSent()).toBe(before + 1);
    await database.db.transaction().execute(async (trx) => {
      await trx.insertInto("notes").values({ id: 2, text: "two" }).execute();
      await trx.selectFrom("notes").selectAll().execute();
    });
    expect(database.statementsSent()).toBe(before + 5);
    // A failing statement was sent all the same.
    await expect(database.db.insertInto("notes").values({ id: 1, text: "again" }).execute()).rejects.toThrow();
    expect(database.statementsSent()).toBe(before + 6);
  });

  it("is not counted on SQLite (statements there are calls in this process)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "oms-db-"));
    const sqlite = openDatabase<Schema>({ sqlitePath: path.join(dir, "t.sqlite") });
    try {
      await sql`select 1`.execute(sqlite.db);
      expect(sqlite.statementsSent()).toBeNull();
    } finally {
      await sqlite.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
