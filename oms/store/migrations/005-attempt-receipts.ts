import type { Migration } from "../../kernel/migrate";

/**
 * What the mined attempt actually cost, from its receipt (issue 19): gas used, the effective gas
 * price and its block. Cost totals count each mined transaction once from these columns instead of
 * summing fills (a REBALANCE's two fills both carry the transaction's gas). Attempts mined before
 * this migration keep nulls: their cost is unknown to the store and is reported as such.
 */
export const attemptReceiptsMigration: Migration = {
  name: "005_attempt_receipts",
  async up(db) {
    await db.schema.alterTable("tx_attempts").addColumn("gas_used", "integer").execute();
    await db.schema.alterTable("tx_attempts").addColumn("effective_gas_price", "text").execute();
    await db.schema.alterTable("tx_attempts").addColumn("mined_block", "integer").execute();
    await db.schema.alterTable("tx_attempts").addColumn("mined_at", "text").execute();
    await db.schema.createIndex("tx_attempts_mined_at").on("tx_attempts").column("mined_at").execute();
  },
};
