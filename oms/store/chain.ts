import { type RawBuilder, sql } from "kysely";
import type { IntentEvent } from "../../lib/defix";
import { chainEvents, GENESIS_HASH } from "../../lib/defix/audit-chain";
import type { Tx } from "./intents-repo";

/**
 * The audit chain on append (docs/ARCHITECTURE.md, "Audit chain"; the formula is lib/defix/audit-chain.ts).
 * Transaction paths know the positions before the insert and hash in JS; PostgreSQL's single-statement
 * writes take positions inside the statement, so they hash in SQL with the same formula (`linkDigestSql`; for an
 * intent's several events, `defix_chain` of migration 013).
 * Either way the previous hash is the intent's event at the sequence number the append is guarded by:
 * the guard (one row, locked) serializes one intent's appends, so its chain cannot fork.
 */

/** The hash of an intent's event `seq` (the chain head the next append links to); GENESIS before seq 1. */
export async function previousHash(trx: Tx, intentId: string, seq: number): Promise<string> {
  if (seq === 0) return GENESIS_HASH;
  const row = await trx
    .selectFrom("intent_events")
    .select("hash")
    .where("intent_id", "=", intentId)
    .where("seq_num", "=", seq)
    .executeTakeFirst();
  if (row?.hash == null) throw new Error(`audit chain: intent ${intentId} has no hashed event ${seq}`);
  return row.hash;
}

/** Positioned events of one intent (consecutive, after `previous`) with their hashes. */
export function hashEvents(previous: string, events: readonly (IntentEvent & { position: number })[]) {
  return chainEvents(previous, events);
}

/** `chainLink` in SQL over a digest expression (a parameter, or a column of rows sent as JSON). */
export function linkDigestSql(previous: RawBuilder<string>, digest: RawBuilder<string>, position: RawBuilder<number>) {
  return sql<string>`encode(sha256(decode(${previous}, 'hex') || decode(${digest}, 'hex') || int8send(${position})), 'hex')`;
}
