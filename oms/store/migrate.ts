import { type Kysely, sql } from "kysely";
import type { Dialect } from "./db";
import type { Migration, MigrationDb } from "./migrations/index";
import type { Database } from "./schema";

/** Any constant works; it only has to be the same in every OMS process sharing the database. */
const MIGRATION_LOCK_KEY = 7_331_001;

/**
 * Applies the not-yet-applied migrations in list order inside ONE transaction. On PostgreSQL a
 * transaction-scoped advisory lock serialises processes that start together, so the second one
 * waits, then sees the migrations recorded and does nothing. SQLite's write lock does the same.
 */
export async function runMigrations(db: Kysely<Database>, dialect: Dialect, list: readonly Migration[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (dialect === "postgres") await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`.execute(trx);
    await trx.schema
      .createTable("oms_migrations")
      .ifNotExists()
      .addColumn("name", "text", (c) => c.primaryKey())
      .addColumn("applied_at", "text", (c) => c.notNull())
      .execute();
    const applied = new Set((await trx.selectFrom("oms_migrations").select("name").execute()).map((row) => row.name));
    for (const migration of list) {
      if (applied.has(migration.name)) continue;
      await migration.up(trx as unknown as MigrationDb, dialect);
      await trx
        .insertInto("oms_migrations")
        .values({ name: migration.name, applied_at: new Date().toISOString() })
        .execute();
    }
  });
}
