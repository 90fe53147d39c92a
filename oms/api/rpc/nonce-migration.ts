import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { Migration } from "../../kernel/migrate";

/**
 * JSON-RPC author nonces. The primary key makes "each (author, nonce) is accepted once" a fact the
 * database enforces, so two OMS processes racing on one replayed request cannot both accept it.
 * The nonce is stored as decimal TEXT because it may exceed 32 bits.
 */
export const rpcAuthorNoncesMigration: Migration = {
  name: "0200_rpc_author_nonces",
  async up(db) {
    await db.schema
      .createTable("rpc_author_nonces")
      .ifNotExists()
      .addColumn("author", "text", (c) => c.notNull())
      .addColumn("nonce", "text", (c) => c.notNull())
      .addColumn("intent_id", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("rpc_author_nonces_pk", ["author", "nonce"])
      .execute();
  },
};

/**
 * This OMS's instance id: one row, made once by whichever process migrates first. It names the nonce
 * table above, so it is what binds a JSON-RPC signature (the EIP-712 domain's salt) to this OMS.
 */
export const rpcInstanceMigration: Migration = {
  name: "0201_rpc_instance",
  async up(db) {
    await db.schema
      .createTable("rpc_instance")
      .ifNotExists()
      .addColumn("singleton", "integer", (c) => c.primaryKey())
      .addColumn("instance_id", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await sql`insert into rpc_instance (singleton, instance_id, created_at) values (1, ${randomUUID()}, ${new Date().toISOString()}) on conflict (singleton) do nothing`.execute(
      db,
    );
  },
};
