import { type Kysely, sql } from "kysely";
import type { Dialect } from "./database";

/** Migrations see an untyped database: they create the tables the typed schema describes. */
export type MigrationDb = Kysely<unknown>;

export interface Migration {
  /** Unique and stable forever: it is what the service's migrations table records. */
  name: string;
  up(db: MigrationDb, dialect: Dialect): Promise<void>;
}

type MigrationsTable = Record<string, { name: string; applied_at: string }>;

/** Any constant works; it only has to be the same in every process sharing the database. */
const MIGRATION_LOCK_KEY = 7_331_001;

/**
 * Applies the not-yet-applied migrations in list order inside ONE transaction, recording each in
 * `table` (one per service). On PostgreSQL a transaction-scoped advisory lock serialises processes
 * that start together, so the second one waits, then sees the migrations recorded and does nothing.
 * SQLite's write lock does the same.
 */
export async function runMigrations(
  db: Kysely<unknown>,
  dialect: Dialect,
  list: readonly Migration[],
  table: string,
): Promise<void> {
  await (db as Kysely<MigrationsTable>).transaction().execute(async (trx) => {
    if (dialect === "postgres") await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`.execute(trx);
    await trx.schema
      .createTable(table)
      .ifNotExists()
      .addColumn("name", "text", (c) => c.primaryKey())
      .addColumn("applied_at", "text", (c) => c.notNull())
      .execute();
    const applied = new Set((await trx.selectFrom(table).select("name").execute()).map((row) => row.name));
    for (const migration of list) {
      if (applied.has(migration.name)) continue;
      await migration.up(trx as unknown as MigrationDb, dialect);
      await trx.insertInto(table).values({ name: migration.name, applied_at: new Date().toISOString() }).execute();
    }
  });
}
