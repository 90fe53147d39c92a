import type { Kysely } from "kysely";
import { type Database, openDatabase } from "../../kernel/database";
import { runMigrations } from "../../kernel/migrate";
import { runnerMigrations } from "./migrations";
import type { RunnerDatabase } from "./schema";

export type RunnerDb = Database<RunnerDatabase>;

export const RUNNER_MIGRATIONS_TABLE = "runner_migrations";

/**
 * The runner keeps its own small store, opened like the OMS's: PostgreSQL (its own `runner_*` tables,
 * next to the OMS's) when `databaseUrl` is set, else a separate SQLite file so it never contends with
 * the OMS's file lock. Migrated before it is returned.
 */
export async function createRunnerDb(options: { databaseUrl?: string; sqlitePath: string }): Promise<RunnerDb> {
  const handle = openDatabase<RunnerDatabase>({ ...options, poolSize: 4 });
  try {
    await runMigrations(handle.db as Kysely<unknown>, handle.dialect, runnerMigrations, RUNNER_MIGRATIONS_TABLE);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}
