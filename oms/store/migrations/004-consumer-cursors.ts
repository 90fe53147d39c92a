import type { Migration } from "../../kernel/migrate";

/** Durable cursors (and leases) of the event log's consumers; see `oms/store/consumers.ts`. */
export const consumerCursorsMigration: Migration = {
  name: "004_consumer_cursors",
  async up(db) {
    await db.schema
      .createTable("consumer_cursors")
      .addColumn("name", "text", (c) => c.primaryKey())
      .addColumn("position", "bigint", (c) => c.notNull())
      .addColumn("lease_owner", "text")
      .addColumn("lease_expires_at", "text")
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
  },
};
