import { mkdirSync } from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, PostgresAdapter, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { namedStatementPool, type StatementCount } from "./prepared";
import { ImmediateSqliteDialect, withStatementCache } from "./sqlite-dialect";

export type Dialect = "sqlite" | "postgres";

export interface Database<Schema> {
  db: Kysely<Schema>;
  dialect: Dialect;
  /**
   * Statements this handle has sent to PostgreSQL so far, BEGIN and COMMIT included (what the engine bench divides
   * by the intents it drove); null on SQLite, whose statements are calls inside this process.
   */
  statementsSent(): number | null;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** `postgres://…` switches to PostgreSQL; anything else (or unset) keeps the embedded SQLite file. */
  databaseUrl?: string;
  sqlitePath: string;
  poolSize?: number;
}

export const isPostgresUrl = (url: string | undefined): url is string =>
  url !== undefined && /^postgres(ql)?:\/\//.test(url);

/** Which dialect a handle speaks, for the few queries written differently per dialect. */
export function dialectOf<Schema>(db: Kysely<Schema>): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? "postgres" : "sqlite";
}

/**
 * Runs `work` on one connection whose commits skip their own fsync on SQLite (`synchronous = NORMAL` in WAL mode),
 * for writes of soft state a crash may lose: an engine lease (it runs out anyway) and its release. Every commit stays
 * atomic, and the next FULL commit syncs the WAL up to itself, these included, so what survives a crash is always a
 * prefix of the commits. SQLite runs one connection: nothing else interleaves while `work` holds it. PostgreSQL: as is.
 */
export async function withoutOwnSync<Schema, T>(
  db: Kysely<Schema>,
  work: (db: Kysely<Schema>) => Promise<T>,
): Promise<T> {
  if (dialectOf(db) === "postgres") return work(db);
  return db.connection().execute(async (connection) => {
    await sql`pragma synchronous = NORMAL`.execute(connection);
    try {
      return await work(connection);
    } finally {
      await sql`pragma synchronous = FULL`.execute(connection);
    }
  });
}

/** Opens either dialect the same way for every service (no migrations: see `runMigrations`). */
export function openDatabase<Schema>(options: OpenDatabaseOptions): Database<Schema> {
  return isPostgresUrl(options.databaseUrl)
    ? openPostgres<Schema>(options.databaseUrl, options.poolSize ?? 10)
    : openSqlite<Schema>(options.sqlitePath);
}

function openSqlite<Schema>(file: string): Database<Schema> {
  mkdirSync(path.dirname(file), { recursive: true });
  const database = new SQLite(file);
  // WAL lets readers proceed during a write; FULL makes a committed transition survive power loss.
  database.pragma("journal_mode = WAL");
  database.pragma("synchronous = FULL");
  database.pragma("busy_timeout = 5000");
  database.pragma("foreign_keys = ON");
  const db = new Kysely<Schema>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(database) }) });
  return { db, dialect: "sqlite", statementsSent: () => null, close: once(() => db.destroy()) };
}

function openPostgres<Schema>(connectionString: string, max: number): Database<Schema> {
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
  const count: StatementCount = { sent: 0 };
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool: namedStatementPool(pool, count) }) });
  return { db, dialect: "postgres", statementsSent: () => count.sent, close: once(() => db.destroy()) };
}

/** Closing twice (a test and its cleanup) must not throw from the pool. */
function once(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => {
    closing ??= close();
    return closing;
  };
}

/** SQLSTATE classes and socket errors that mean "the database connection is gone", not "bad query". */
const CONNECTION_LOSS_CODES = new Set([
  "57P01", // admin_shutdown (pg_terminate_backend, server stop)
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now (starting up)
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
]);

/**
 * The database went away under a query (PostgreSQL restarted or the session was killed): the pool
 * reconnects on the next checkout, so the caller may retry; nothing of the failed statement was kept.
 */
export function isConnectionLoss(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const code = "code" in error ? (error as { code: unknown }).code : undefined;
  if (typeof code === "string" && CONNECTION_LOSS_CODES.has(code)) return true;
  const message = error instanceof Error ? error.message : "";
  return /Connection terminated|connection error|terminating connection/i.test(message);
}
