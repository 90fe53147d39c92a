import type { Migration } from "../../kernel/migrate";

/** Refinements (issue 16): planned-but-not-submitted intents, see `oms/store/refinements-repo.ts`. */
export const refinementsMigration: Migration = {
  name: "005_refinements",
  async up(db) {
    await db.schema
      .createTable("refinements")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("vault_id", "text", (c) => c.notNull())
      .addColumn("requested_by", "text", (c) => c.notNull())
      .addColumn("config_hash", "text", (c) => c.notNull())
      .addColumn("outcome", "text", (c) => c.notNull())
      .addColumn("body", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("expires_at", "text", (c) => c.notNull())
      .addColumn("intent_id", "text")
      .execute();
    await db.schema
      .createIndex("refinements_by_requester")
      .on("refinements")
      .columns(["requested_by", "expires_at"])
      .execute();
    await db.schema.createIndex("refinements_by_intent").on("refinements").column("intent_id").unique().execute();
  },
};
