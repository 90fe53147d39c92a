import { type Kysely, sql } from "kysely";
import { chainLink, GENESIS_HASH, recordDigest } from "../../lib/defix/audit-chain";
import { dialectOf } from "../store/db";
import type { SessionKeyActionsTable, SessionKeyTables } from "./schema";

/**
 * Session-key history is chained per vault like intents' events (docs/ARCHITECTURE.md, "Audit chain"):
 * `hash = chainLink(vault's previous hash, recordDigest(the row without seq and hash), seq)`, seq 1, 2, … per
 * vault. Appends to one vault serialize on a transaction-scoped advisory lock on PostgreSQL (taken as the
 * transaction's last lock: every caller inserts its action last) and on SQLite's write lock.
 */
export type ChainedAction = Omit<SessionKeyActionsTable, "seq" | "hash">;

export function actionHash(previous: string, action: ChainedAction, seq: number): string {
  const { id, vault_id, type, session_key_address, actor, expires_at, created_at, chain_block, chain_timestamp } =
    action;
  const record = {
    id,
    vault_id,
    type,
    session_key_address,
    actor,
    expires_at,
    created_at,
    chain_block,
    chain_timestamp,
  };
  return chainLink(previous, recordDigest(record), seq);
}

/** Inserts `action` at the head of its vault's chain; call inside a transaction (see `appendAction`). */
export async function insertChainedAction(trx: Kysely<SessionKeyTables>, action: ChainedAction): Promise<void> {
  if (dialectOf(trx) === "postgres") {
    await sql`select pg_advisory_xact_lock(hashtext(${`session-key-actions:${action.vault_id}`}))`.execute(trx);
  }
  const head = await trx
    .selectFrom("session_key_actions")
    .select(["seq", "hash"])
    .where("vault_id", "=", action.vault_id)
    .where("seq", "is not", null)
    .orderBy("seq", "desc")
    .limit(1)
    .executeTakeFirst();
  const seq = (head?.seq ?? 0) + 1;
  const hash = actionHash(head?.hash ?? GENESIS_HASH, action, seq);
  await trx
    .insertInto("session_key_actions")
    .values({ ...action, seq, hash })
    .execute();
}
