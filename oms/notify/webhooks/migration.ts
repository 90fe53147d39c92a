import { sql } from "kysely";
import type { Migration } from "../../kernel/migrate";

/** Webhook endpoints, their deliveries and each delivery's attempts (docs/ARCHITECTURE.md, "Webhooks"). */
export const webhooksMigration: Migration = {
  name: "0300_webhooks",
  async up(db) {
    await db.schema
      .createTable("webhook_endpoints")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("vault_id", "text", (c) => c.notNull())
      .addColumn("url", "text", (c) => c.notNull())
      .addColumn("description", "text", (c) => c.notNull())
      .addColumn("enabled", "integer", (c) => c.notNull())
      .addColumn("event_types", "text", (c) => c.notNull())
      .addColumn("alert_kinds", "text", (c) => c.notNull())
      .addColumn("encrypted_secret", "text", (c) => c.notNull())
      .addColumn("start_position", "bigint", (c) => c.notNull())
      .addColumn("start_alert_position", "bigint", (c) => c.notNull())
      .addColumn("disabled_reason", "text")
      .addColumn("disabled_at", "text")
      .addColumn("consecutive_failures", "integer", (c) => c.notNull())
      .addColumn("failing_since", "text")
      .addColumn("last_success_at", "text")
      .addColumn("last_failure_at", "text")
      .addColumn("created_by", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    await sql`create index webhook_endpoints_vault on webhook_endpoints (vault_id, created_at)`.execute(db);
    await db.schema
      .createTable("webhook_deliveries")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("endpoint_id", "text", (c) => c.notNull())
      .addColumn("vault_id", "text", (c) => c.notNull())
      .addColumn("type", "text", (c) => c.notNull())
      .addColumn("subject", "text", (c) => c.notNull())
      .addColumn("payload", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("attempts", "integer", (c) => c.notNull())
      .addColumn("next_attempt_at", "text")
      .addColumn("lease_owner", "text")
      .addColumn("lease_expires_at", "text")
      .addColumn("last_status_code", "integer")
      .addColumn("last_latency_ms", "integer")
      .addColumn("last_error", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("completed_at", "text")
      .execute();
    await sql`create unique index webhook_deliveries_subject on webhook_deliveries (endpoint_id, subject)`.execute(db);
    await sql`create index webhook_deliveries_log on webhook_deliveries (endpoint_id, created_at, id)`.execute(db);
    await sql`create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where status = 'pending'`.execute(
      db,
    );
    await db.schema
      .createTable("webhook_attempts")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("delivery_id", "text", (c) => c.notNull())
      .addColumn("endpoint_id", "text", (c) => c.notNull())
      .addColumn("attempt", "integer", (c) => c.notNull())
      .addColumn("at", "text", (c) => c.notNull())
      .addColumn("status_code", "integer")
      .addColumn("latency_ms", "integer", (c) => c.notNull())
      .addColumn("response_excerpt", "text", (c) => c.notNull())
      .addColumn("error", "text")
      .addColumn("succeeded", "integer", (c) => c.notNull())
      .execute();
    await sql`create index webhook_attempts_delivery on webhook_attempts (delivery_id, attempt)`.execute(db);
  },
};
