import { type Kysely, sql } from "kysely";

/**
 * Session-key tables. Partial unique indexes make "one pending key per vault" and "one active key per
 * vault" facts the database enforces, so concurrent prepare requests cannot both win.
 */
export const sessionKeysMigration = {
  name: "0100_session_keys",
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable("session_keys")
      .ifNotExists()
      .addColumn("id", "text", (column) => column.primaryKey())
      .addColumn("vault_id", "text", (column) => column.notNull())
      .addColumn("address", "text", (column) => column.notNull())
      .addColumn("status", "text", (column) => column.notNull())
      .addColumn("encrypted_key", "text", (column) => column.notNull())
      .addColumn("requested_expires_at", "text")
      .addColumn("replaces_address", "text")
      .addColumn("created_at", "text", (column) => column.notNull())
      .addColumn("updated_at", "text", (column) => column.notNull())
      .execute();
    await sql`create unique index if not exists session_keys_vault_address on session_keys (vault_id, address)`.execute(
      db,
    );
    await sql`create unique index if not exists session_keys_one_pending on session_keys (vault_id) where status in ('PENDING_GRANT', 'PENDING_ROTATION')`.execute(
      db,
    );
    await sql`create unique index if not exists session_keys_one_active on session_keys (vault_id) where status = 'ACTIVE'`.execute(
      db,
    );
    await db.schema
      .createTable("session_key_actions")
      .ifNotExists()
      .addColumn("id", "text", (column) => column.primaryKey())
      .addColumn("vault_id", "text", (column) => column.notNull())
      .addColumn("type", "text", (column) => column.notNull())
      .addColumn("session_key_address", "text")
      .addColumn("actor", "text")
      .addColumn("expires_at", "text")
      .addColumn("created_at", "text", (column) => column.notNull())
      .addColumn("chain_block", "text", (column) => column.notNull())
      .addColumn("chain_timestamp", "text", (column) => column.notNull())
      .execute();
    await sql`create index if not exists session_key_actions_vault on session_key_actions (vault_id, created_at)`.execute(
      db,
    );
  },
};
