import { type Kysely, sql } from "kysely";
import type { Migration } from "../../kernel/migrate";

/**
 * Alert tables (docs/ARCHITECTURE.md, "Outbox consumers, NATS, alerts and webhooks"). An alert's
 * `dedupe_key` is unique while it is open (a partial unique index), so a condition is raised once
 * however many evaluators or processes see it. Each raise/resolve is a row in `alert_changes` with a
 * gapless `position` from `alert_position` (the technique of store/positions.ts), which consumers tail.
 */
export const alertsMigration: Migration = {
  name: "005_alerts",
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable("alerts")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("vault_id", "text", (c) => c.notNull())
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("dedupe_key", "text", (c) => c.notNull())
      .addColumn("severity", "text", (c) => c.notNull())
      .addColumn("state", "text", (c) => c.notNull())
      .addColumn("title", "text", (c) => c.notNull())
      .addColumn("message", "text", (c) => c.notNull())
      .addColumn("intent_id", "text")
      .addColumn("strategy_id", "text")
      .addColumn("session_key_address", "text")
      .addColumn("details", "text", (c) => c.notNull())
      .addColumn("raised_at", "text", (c) => c.notNull())
      .addColumn("resolved_at", "text")
      // The position of its "raised" change: orders alerts and backs the per-user "read through" mark.
      .addColumn("raised_position", "bigint")
      .execute();
    await sql`create unique index alerts_open_key on alerts (dedupe_key) where state = 'open'`.execute(db);
    await sql`create index alerts_vault_position on alerts (vault_id, raised_position)`.execute(db);
    await db.schema
      .createTable("alert_changes")
      .addColumn("position", "bigint", (c) => c.primaryKey())
      .addColumn("alert_id", "text", (c) => c.notNull())
      .addColumn("change", "text", (c) => c.notNull())
      .addColumn("at", "text", (c) => c.notNull())
      // The alert as it was after this change (JSON), so a consumer needs no second read.
      .addColumn("alert", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("alert_position")
      .addColumn("id", "integer", (c) => c.primaryKey())
      .addColumn("last", "bigint", (c) => c.notNull())
      .execute();
    await sql`insert into alert_position (id, last) values (1, 0)`.execute(db);
    await db.schema
      .createTable("alert_reads")
      .addColumn("alert_id", "text", (c) => c.notNull())
      .addColumn("subject", "text", (c) => c.notNull())
      .addColumn("read_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("alert_reads_pk", ["alert_id", "subject"])
      .execute();
    // "Read all": every alert of the vault raised at or before `through_position` is read for the subject.
    await db.schema
      .createTable("alert_read_marks")
      .addColumn("subject", "text", (c) => c.notNull())
      .addColumn("vault_id", "text", (c) => c.notNull())
      .addColumn("through_position", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("alert_read_marks_pk", ["subject", "vault_id"])
      .execute();
    await db.schema
      .createTable("alert_settings")
      .addColumn("vault_id", "text", (c) => c.primaryKey())
      .addColumn("settings", "text", (c) => c.notNull())
      .addColumn("updated_by", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
  },
};
