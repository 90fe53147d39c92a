import { type RawBuilder, sql } from "kysely";
import type { IntentEvent } from "../../lib/defix";
import { chainEvents, eventDigest, GENESIS_HASH } from "../../lib/defix/audit-chain";
import type { Tx } from "./intents-repo";

/**
 * The audit chain on append (docs/ARCHITECTURE.md, "Audit chain"; the formula is lib/defix/audit-chain.ts).
 * Transaction paths know the positions before the insert and hash in JS; PostgreSQL's single-statement
 * writes take positions inside the statement, so they hash in SQL with the same formula (`linkSql`).
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

/** SQL: the previous hash as of the statement's snapshot (see commitEvents: the guard requires it). */
export function previousHashSql(intentId: string, seq: number): RawBuilder<string> {
  if (seq === 0) return sql<string>`${GENESIS_HASH}::text`;
  return sql<string>`(select hash from intent_events where intent_id = ${intentId} and seq_num = ${seq})`;
}

/** SQL mirror of `chainLink` over a JS-computed digest (PostgreSQL ≥ 11: sha256, int8send). */
export function linkSql(previous: RawBuilder<string>, event: IntentEvent, position: RawBuilder<number>) {
  return linkDigestSql(previous, sql<string>`${eventDigest(event)}::text`, position);
}

/** `chainLink` in SQL over a digest expression (a parameter, or a column of rows sent as JSON). */
export function linkDigestSql(previous: RawBuilder<string>, digest: RawBuilder<string>, position: RawBuilder<number>) {
  return sql<string>`encode(sha256(decode(${previous}, 'hex') || decode(${digest}, 'hex') || int8send(${position})), 'hex')`;
}

/** The hash expressions of a batch appended in one statement: each links to the one before it. */
export function batchHashesSql(
  previous: RawBuilder<string>,
  events: readonly IntentEvent[],
  positionOf: (index: number) => RawBuilder<number>,
): RawBuilder<string>[] {
  const out: RawBuilder<string>[] = [];
  events.reduce((prev, event, index) => {
    const link = linkSql(prev, event, positionOf(index));
    out.push(link);
    return link;
  }, previous);
  return out;
}
