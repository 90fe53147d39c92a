import { sql } from "kysely";
import type { Migration, MigrationDb } from "../../kernel/migrate";

/** The runner's tables, recorded in `runner_migrations`; written idempotently because they predate that table. */
async function createStrategyTables(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable("runner_vaults")
    .ifNotExists()
    .addColumn("vault_id", "text", (c) => c.primaryKey())
    .addColumn("kill_switch", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("runner_strategies")
    .ifNotExists()
    .addColumn("strategy_id", "text", (c) => c.primaryKey())
    .addColumn("vault_id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("lane", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("tick_interval_ms", "integer", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("params", "text", (c) => c.notNull())
    .addColumn("submit_seq", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("last_intent_id", "text")
    .addColumn("last_intent_state", "text")
    .addColumn("last_tick_at", "text")
    .addColumn("last_error", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("runner_strategies_vault_idx")
    .ifNotExists()
    .on("runner_strategies")
    .column("vault_id")
    .execute();
}

/**
 * Several open intents per strategy (issue 15: strategies keep publishing while intents wait for approval).
 * The one intent a strategy had in flight before is carried over, so an upgrade keeps following it.
 */
async function createOpenIntents(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable("runner_open_intents")
    .addColumn("intent_id", "text", (c) => c.primaryKey())
    .addColumn("strategy_id", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("approval_pending", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("runner_open_intents_strategy_idx")
    .on("runner_open_intents")
    .column("strategy_id")
    .execute();
  await sql`
    INSERT INTO runner_open_intents (intent_id, strategy_id, state, approval_pending, created_at)
    SELECT last_intent_id, strategy_id, last_intent_state, 0, updated_at FROM runner_strategies
    WHERE last_intent_id IS NOT NULL AND last_intent_state IS NOT NULL
      AND last_intent_state NOT IN ('COMPLETED', 'ABORTED', 'EXPIRED', 'FAILED', 'CANCELED')
  `.execute(db);
}

/** Applied in order, each once, at start. Append new entries; never reorder or rename. */
export const runnerMigrations: readonly Migration[] = [
  { name: "001-strategies", up: createStrategyTables },
  { name: "002-open-intents", up: createOpenIntents },
];
