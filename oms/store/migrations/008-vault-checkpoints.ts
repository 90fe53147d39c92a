import type { Migration } from "../../kernel/migrate";

/** Persisted, signed per-vault checkpoints over the intents' heads; see `oms/core/checkpoints.ts`. */
export const vaultCheckpointsMigration: Migration = {
  name: "008_vault_checkpoints",
  async up(db) {
    await db.schema
      .createTable("vault_checkpoints")
      .addColumn("vault_id", "text", (c) => c.notNull())
      .addColumn("seq", "integer", (c) => c.notNull())
      .addColumn("position", "bigint", (c) => c.notNull())
      .addColumn("intents", "integer", (c) => c.notNull())
      .addColumn("heads_root", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("prev_hash", "text", (c) => c.notNull())
      .addColumn("hash", "text", (c) => c.notNull())
      .addColumn("signature", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("vault_checkpoints_pk", ["vault_id", "seq"])
      .execute();
  },
};
