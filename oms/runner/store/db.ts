import { mkdirSync } from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import type { RunnerDatabase } from "./schema";

export type Dialect = "sqlite" | "postgres";

export interface RunnerDb {
  db: Kysely<RunnerDatabase>;
  dialect: Dialect;
  close(): Promise<void>;
}

/**
 * The runner keeps its own small store: PostgreSQL (its own `runner_*` tables, next to the OMS's)
 * when `databaseUrl` is set, else a separate SQLite file so it never contends with the OMS's file lock.
 */
export function createRunnerDb(options: { databaseUrl?: string; sqlitePath: string }): RunnerDb {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 4 });
    const db = new Kysely<RunnerDatabase>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: "postgres", close: () => db.destroy() };
  }
  mkdirSync(path.dirname(options.sqlitePath), { recursive: true });
  const sqlite = new SQLite(options.sqlitePath);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("busy_timeout = 5000");
  const db = new Kysely<RunnerDatabase>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, dialect: "sqlite", close: () => db.destroy() };
}
