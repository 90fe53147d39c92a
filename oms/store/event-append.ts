import { randomUUID } from "node:crypto";
import { type Kysely, type RawBuilder, sql, type Transaction } from "kysely";
import type { IntentEvent } from "../../lib/defix";
import { eventDigest, GENESIS_HASH } from "../../lib/defix/audit-chain";
import type { NewEvent } from "../domain/new-event";
import { hashEvents } from "./chain";
import { allocatePositions, notifyPosition } from "./positions";
import type { Database } from "./schema";

/**
 * Appending an intent's events: each with its global position (the transaction's last lock, positions.ts) and
 * its hash chained to the one before (chain.ts), as one insert after the row's write, or (PostgreSQL) inside the
 * single statement that writes the row.
 */

export function toEvent(intentId: string, seq: number, event: NewEvent, at: string): IntentEvent {
  // NewEvent pairs each message type with its payload; spreading loses the pairing, not the fact.
  return {
    event_id: randomUUID(),
    intent_id: intentId,
    execution_id: event.execution_id ?? null,
    message_type: event.message_type,
    seq_num: seq,
    payload: event.payload,
    created_at: at,
  } as IntentEvent;
}

export const EVENT_COLUMNS = [
  "event_id",
  "intent_id",
  "execution_id",
  "message_type",
  "seq_num",
  "payload",
  "created_at",
  "position",
  "hash",
] as const satisfies readonly (keyof Database["intent_events"])[];

/**
 * PostgreSQL single-statement writes: the SELECT that inserts the new events of one or more intents, from the CTE
 * `pos` (the range of positions the statement took; no row when its guard failed, so nothing is inserted). The
 * events travel as ONE JSON parameter, in order: the `i`th of `total` gets position `pos.last - (total - 1 - i)`,
 * and each intent's events are hashed in a chain from its head (the event at the sequence number its write is
 * guarded by; GENESIS before seq 1) by `defix_chain` (migration 013; the formula of chain.ts). The text and its four
 * parameters (the events, their count twice, GENESIS) are the same whatever the number of events. Each intent's
 * events must be consecutive and in sequence order.
 */
export function eventsFromJsonSql(parts: readonly { events: readonly IntentEvent[] }[]) {
  const rows = parts.flatMap((part) => part.events).map((event, ord) => ({ ...eventJsonRow(event), ord }));
  const total = rows.length;
  return sql<Record<(typeof EVENT_COLUMNS)[number], unknown>>`
    with ev as (
      select * from json_to_recordset(${JSON.stringify(rows)}::json) as e(
        ord integer, event_id text, intent_id text, execution_id text, message_type text, seq_num integer,
        payload text, created_at text, digest text
      )
    ),
    heads as (
      select intent_id, min(seq_num) as first_seq, min(ord) as first_ord, array_agg(digest order by seq_num) as digests
      from ev group by intent_id
    ),
    chains as (
      select heads.intent_id, heads.first_seq, defix_chain(
        case when heads.first_seq = 1 then ${GENESIS_HASH}::text else (
          select h.hash from intent_events h where h.intent_id = heads.intent_id and h.seq_num = heads.first_seq - 1
        ) end,
        heads.digests,
        pos.last - (${total - 1}::bigint - heads.first_ord)
      ) as hashes
      from heads cross join pos
    )
    select ev.event_id, ev.intent_id, ev.execution_id, ev.message_type, ev.seq_num, ev.payload, ev.created_at,
      pos.last - (${total - 1}::bigint - ev.ord) as position, chains.hashes[ev.seq_num - chains.first_seq + 1] as hash
    from ev join chains on chains.intent_id = ev.intent_id cross join pos`;
}

/** An event as a row of the JSON single-statement writes send: its columns, and the digest its hash links. */
export function eventJsonRow(event: IntentEvent) {
  return {
    event_id: event.event_id,
    intent_id: event.intent_id,
    execution_id: event.execution_id,
    message_type: event.message_type,
    seq_num: event.seq_num,
    payload: JSON.stringify(event.payload),
    created_at: event.created_at,
    digest: eventDigest(event),
  };
}

/**
 * Inserts one intent's events with their positions and hashes (linked to `previous`, its chain head);
 * the position allocation is the transaction's last lock (see positions.ts).
 */
export async function insertEvents(
  trx: Transaction<Database>,
  events: readonly IntentEvent[],
  previous: string,
): Promise<IntentEvent[]> {
  if (events.length === 0) return [];
  const first = await allocatePositions(trx, events.length);
  const positioned = hashEvents(
    previous,
    events.map((e, i) => ({ ...e, position: first + i })),
  );
  await trx
    .insertInto("intent_events")
    .values(positioned.map((e) => ({ ...e, payload: JSON.stringify(e.payload) })))
    .execute();
  return positioned;
}

/**
 * PostgreSQL single-statement writes: a CTE `pos` that takes `count` positions only when `target`
 * returned a row (a stale guard or a live duplicate takes none, so nothing is skipped). `pos` reads
 * `target`, so the intent row is written (locked) before the counter: the counter stays the last lock.
 * `count` may be an expression over `target` (a batch: one position per row it inserted).
 */
export function takePositions(qb: Kysely<Database>, count: number | RawBuilder<number>) {
  return qb
    .updateTable("event_position")
    .set({ last: sql`last + ${count}` })
    .where("id", "=", 1)
    .where(sql<boolean>`exists (select 1 from target)`)
    .returning(["last", notifyPosition()]);
}
