import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
