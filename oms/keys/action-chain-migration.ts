import { sql } from "kysely";
import { GENESIS_HASH } from "../../lib/defix/audit-chain";
import type { Migration } from "../kernel/migrate";
import { actionHash, type ChainedAction } from "./action-chain";

/**
 * Session-key history joins the audit chain (keys/action-chain.ts): `seq` and `hash` per vault, existing
 * rows chained in (created_at, id) order, and a unique (vault_id, seq) so a chain can never fork.
 */
export const sessionKeyActionChainMigration: Migration = {
  name: "007_session_key_action_chain",
  async up(db) {
    await db.schema.alterTable("session_key_actions").addColumn("seq", "integer").execute();
    await db.schema.alterTable("session_key_actions").addColumn("hash", "text").execute();
    const rows = await sql<ChainedAction>`select id, vault_id, type, session_key_address, actor, expires_at, created_at,
      chain_block, chain_timestamp from session_key_actions order by vault_id, created_at, id`.execute(db);
    const heads = new Map<string, { seq: number; hash: string }>();
    for (const row of rows.rows) {
      const seq = (heads.get(row.vault_id)?.seq ?? 0) + 1;
      const hash = actionHash(heads.get(row.vault_id)?.hash ?? GENESIS_HASH, row, seq);
      heads.set(row.vault_id, { seq, hash });
      await sql`update session_key_actions set seq = ${seq}, hash = ${hash} where id = ${row.id}`.execute(db);
    }
    await sql`create unique index session_key_actions_chain on session_key_actions (vault_id, seq)`.execute(db);
  },
};
