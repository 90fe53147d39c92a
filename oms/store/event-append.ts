import { randomUUID } from "node:crypto";
import { type Kysely, type RawBuilder, sql, type Transaction } from "kysely";
import type { IntentEvent } from "../../lib/defix";
import type { NewEvent } from "../domain/new-event";
import { batchHashesSql, hashEvents } from "./chain";
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

/** In a single-statement write of `count` events: the position of the `index`th, from the CTE `pos`. */
const positionSql = (count: number) => (index: number) => sql<number>`(pos.last - ${count - 1 - index}::bigint)`;

/**
 * The events of a single-statement write as SELECT lists over a CTE named `target` that returns the
 * intent's `id` (PostgreSQL). Parameters in a SELECT list have no column to infer a type from: cast each.
 * Each event's hash links to the one before it (`previous` for the first; see chain.ts).
 */
export function eventSelectLists(
  events: readonly IntentEvent[],
  previous: RawBuilder<string>,
  /** Several intents' events in one statement: this intent's CTE, and where its events fall among all `total`. */
  among: { target: string; offset: number; total: number } = { target: "target", offset: 0, total: events.length },
) {
  const positionOf = (index: number) => positionSql(among.total)(among.offset + index);
  const hashes = batchHashesSql(previous, events, positionOf);
  return events.map((event, index) =>
    eventSelectList(event, positionOf(index), hashes[index] as RawBuilder<string>, among.target),
  );
}

function eventSelectList(event: IntentEvent, position: RawBuilder<number>, hash: RawBuilder<string>, target: string) {
  return [
    sql<string>`${event.event_id}::text`.as("event_id"),
    sql.ref<string>(`${target}.id`).as("intent_id"),
    sql<string | null>`${event.execution_id}::text`.as("execution_id"),
    sql<string>`${event.message_type}::text`.as("message_type"),
    sql<number>`${event.seq_num}::integer`.as("seq_num"),
    sql<string>`${JSON.stringify(event.payload)}::text`.as("payload"),
    sql<string>`${event.created_at}::text`.as("created_at"),
    position.as("position"),
    hash.as("hash"),
  ];
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
