import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { createScratchDatabase, type ScratchDatabase } from "../../../test/postgres";
import { createOmsDb } from "../../migrations";
import type { Db, Dialect } from "../db";

export const DIALECTS: readonly Dialect[] = ["sqlite", "postgres"];

export interface TestDatabase {
  dialect: Dialect;
  /** Open (and migrate) a connection; call again to simulate another process or a restart. */
  open(): Promise<Db>;
  /** Closes what `open` returned and removes the database. */
  destroy(): Promise<void>;
  databaseUrl?: string;
  sqlitePath: string;
}

/** A fresh database per test file: a temp SQLite file, or a uniquely named PostgreSQL database. */
export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  const dir = mkdtempSync(path.join(tmpdir(), "oms-test-"));
  const sqlitePath = path.join(dir, "oms.sqlite");
  const opened: Db[] = [];
  const scratch: ScratchDatabase | undefined =
    dialect === "postgres" ? await createScratchDatabase("oms_test") : undefined;
  const databaseUrl = scratch?.url;
  return {
    dialect,
    sqlitePath,
    databaseUrl,
    async open() {
      const db = await createOmsDb({ databaseUrl, sqlitePath });
      opened.push(db);
      return db;
    },
    async destroy() {
      for (const db of opened.splice(0)) await db.close();
      await scratch?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A fresh database with two handles on it, as two OMS processes would have: `second` is its own pool on
 * PostgreSQL; on SQLite it is `first` (two better-sqlite3 connections in one thread would block each other
 * synchronously on the file lock). `testDb.destroy()` closes both.
 */
export async function openTwoHandles(dialect: Dialect): Promise<{ testDb: TestDatabase; first: Db; second: Db }> {
  const testDb = await createTestDatabase(dialect);
  const first = await testDb.open();
  const second = dialect === "postgres" ? await testDb.open() : first;
  return { testDb, first, second };
}

/**
 * Registers a describe block's hooks for its own fresh `dialect` database, opened once before its tests and
 * removed after them; `ready` receives the open handle and the database (for another `open()` or its URL).
 */
export function withTestDatabase(dialect: Dialect, ready: (handle: Db, database: TestDatabase) => void): void {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    ready(await database.open(), database);
  });
  afterAll(async () => {
    await database?.destroy();
  });
}
