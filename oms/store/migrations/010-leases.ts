import type { Migration } from "../../kernel/migrate";

/** Short named leases between OMS processes (`oms/store/leases.ts`): one holder at a time, until it expires. */
export const leasesMigration: Migration = {
  name: "010_leases",
  async up(db) {
    await db.schema
      .createTable("leases")
      .addColumn("name", "text", (c) => c.primaryKey())
      .addColumn("owner", "text", (c) => c.notNull())
      .addColumn("expires_at", "text", (c) => c.notNull())
      .execute();
  },
};
