import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll } from "vitest";
import { createScratchDatabase, type ScratchDatabase } from "../../../test/postgres";
import { listenerApplicationName } from "../../kernel/pg-listen";
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
 * Registers a describe block's hooks for a fresh `dialect` database with two handles on it (`openTwoHandles`), opened
 * once before its tests and removed after them.
 */
export function withTwoHandles(
  dialect: Dialect,
  ready: (handles: { testDb: TestDatabase; first: Db; second: Db }) => void,
): void {
  let opened: TestDatabase | undefined;
  beforeAll(async () => {
    const handles = await openTwoHandles(dialect);
    opened = handles.testDb;
    ready(handles);
  });
  afterAll(async () => {
    await opened?.destroy();
  });
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

/**
 * Ends this database's listening connection of `channel` (the one `pgListener` opened, by its
 * `application_name`) and waits until its backend is gone: `pg_terminate_backend` only signals, and a
 * backend still exiting can deliver one more NOTIFY. Returns how many connections it ended.
 */
export async function killListener(db: Db["db"], channel: string): Promise<number> {
  const name = listenerApplicationName(channel);
  // In the select list, not the WHERE clause: PostgreSQL may evaluate a WHERE's terms in any order.
  const killed = await sql<{ pid: number; ended: boolean }>`select pid, pg_terminate_backend(pid) as ended
    from pg_stat_activity where datname = current_database() and application_name = ${name}`.execute(db);
  const pids = killed.rows.map((row) => row.pid);
  for (let i = 0; i < 250; i++) {
    const alive = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
      where pid = any(${pids}::int[])`.execute(db);
    if (alive.rows[0]?.n === 0) return pids.length;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`the listening connection of ${channel} did not end within 5 s`);
}
