import type { Migration } from "../../store/migrations/index";

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
