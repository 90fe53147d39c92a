import type { Kysely } from "kysely";
import { type Database, openDatabase } from "../kernel/database";
import { type Migration, runMigrations } from "../kernel/migrate";
import type { Database as Schema } from "./schema";

export type { Dialect } from "../kernel/database";
export { dialectOf, withoutOwnSync } from "../kernel/database";

export type Db = Database<Schema>;

export interface CreateDbOptions {
  /** `postgres://…` switches to PostgreSQL; anything else (or unset) keeps the embedded SQLite file. */
  databaseUrl?: string;
  sqlitePath: string;
  /** The service root assembles the list (`oms/migrations.ts`); tests may pass a subset. */
  migrations: readonly Migration[];
  poolSize?: number;
}

/** Opens the OMS's database and runs pending migrations before returning it. */
export async function createDb(options: CreateDbOptions): Promise<Db> {
  const handle = openDatabase<Schema>(options);
  try {
    await runMigrations(handle.db as Kysely<unknown>, handle.dialect, options.migrations, "oms_migrations");
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}
