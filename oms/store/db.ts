import SQLite from "better-sqlite3";
import { Kysely, PostgresAdapter, PostgresDialect } from "kysely";
import pg from "pg";
import { runMigrations } from "./migrate";
import { migrations as defaultMigrations, type Migration } from "./migrations/index";
import type { Database } from "./schema";
import { ImmediateSqliteDialect, withStatementCache } from "./sqlite-dialect";

export type Dialect = "sqlite" | "postgres";

export interface Db {
  db: Kysely<Database>;
  dialect: Dialect;
  close(): Promise<void>;
}

export interface CreateDbOptions {
  /** `postgres://…` switches to PostgreSQL; anything else (or unset) keeps the embedded SQLite file. */
  databaseUrl?: string;
  sqlitePath: string;
  /** Defaults to the full list in `migrations/index.ts`; tests may pass a subset. */
  migrations?: readonly Migration[];
  poolSize?: number;
}

const isPostgresUrl = (url: string | undefined): url is string => url !== undefined && /^postgres(ql)?:\/\//.test(url);

/** Which dialect a handle speaks, for the few queries written differently per dialect. */
export function dialectOf(db: Kysely<Database>): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? "postgres" : "sqlite";
}

/** Opens the database and runs pending migrations before returning it. */
export async function createDb(options: CreateDbOptions): Promise<Db> {
  const handle = isPostgresUrl(options.databaseUrl)
    ? openPostgres(options.databaseUrl, options.poolSize ?? 10)
    : openSqlite(options.sqlitePath);
  try {
    await runMigrations(handle.db, handle.dialect, options.migrations ?? defaultMigrations);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}

function openSqlite(path: string): Db {
  const database = new SQLite(path);
  // WAL lets readers proceed during a write; FULL makes a committed transition survive power loss.
  database.pragma("journal_mode = WAL");
  database.pragma("synchronous = FULL");
  database.pragma("busy_timeout = 5000");
  database.pragma("foreign_keys = ON");
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(database) }) });
  return { db, dialect: "sqlite", close: once(() => db.destroy()) };
}

function openPostgres(connectionString: string, max: number): Db {
  const pool = new pg.Pool({ connectionString, max });
  // An idle client losing its server (restart, failover) must not crash the process; the pool
  // replaces it and the next query reconnects.
  pool.on("error", (error) => console.warn(`postgres pool: idle client error: ${error.message}`));
  // A checked-out client whose session ends between statements (pg_terminate_backend, a restart)
  // emits "error" outside any query: without a listener that is an uncaught exception that kills the
  // process. The statement in flight fails on its own and the pool drops the broken client.
  pool.on("connect", (client) => {
    client.on("error", (error) => console.warn(`postgres: connection lost: ${error.message}`));
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: "postgres", close: once(() => db.destroy()) };
}

/** Closing twice (a test and its cleanup) must not throw from the pool. */
function once(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => {
    closing ??= close();
    return closing;
  };
}
