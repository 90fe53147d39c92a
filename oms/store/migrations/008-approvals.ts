import { sql } from "kysely";
import type { Migration } from "../../kernel/migrate";

/**
 * Approval policies (issue 15): each intent's approval status and quorum as projection columns, and the
 * versioned, per-vault chained policy history. Existing intents never needed approval.
 */
export const approvalsMigration: Migration = {
  name: "008_approvals",
  async up(db) {
    await db.schema
      .alterTable("intents")
      .addColumn("approval_status", "text", (column) => column.notNull().defaultTo("not_required"))
      .execute();
    await db.schema.alterTable("intents").addColumn("quorum", "text").execute();
    // The approvals queue reads only the intents that wait for a quorum.
    await sql`create index intents_approval_pending on intents (vault_id, created_at) where approval_status = 'pending'`.execute(
      db,
    );
    await db.schema
      .createTable("approval_policies")
      .addColumn("vault_id", "text", (column) => column.notNull())
      .addColumn("version", "integer", (column) => column.notNull())
      .addColumn("policy", "text")
      .addColumn("signed_by", "text", (column) => column.notNull())
      .addColumn("signature", "text", (column) => column.notNull())
      .addColumn("created_at", "text", (column) => column.notNull())
      .addColumn("hash", "text", (column) => column.notNull())
      .addPrimaryKeyConstraint("approval_policies_pk", ["vault_id", "version"])
      .execute();
  },
};
