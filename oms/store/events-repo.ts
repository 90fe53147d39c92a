import type { Kysely, Selectable } from "kysely";
import { type IntentEvent, MessageType } from "../../lib/defix";
import { rowToEvent } from "./rows";
import type { Database, IntentEventsTable } from "./schema";

/** Reads of the event log: one intent's events by sequence, and every vault's by global position. */
export async function listEvents(
  db: Kysely<Database>,
  intentId: string,
  afterSeq: number,
  limit: number,
): Promise<IntentEvent[]> {
  const rows = await db
    .selectFrom("intent_events")
    .selectAll()
    .where("intent_id", "=", intentId)
    .where("seq_num", ">", afterSeq)
    .orderBy("seq_num", "asc")
    .limit(limit)
    .execute();
  return rows.map(rowToEvent);
}

/**
 * Committed events after `afterPosition`, in position order, of the given vaults ("all": every
 * vault), each with its intent's vault. Positions commit in order, so reading `position > last`
 * again never misses one that was not yet visible before (see positions.ts).
 */
export async function listEventsAfterPosition(
  db: Kysely<Database>,
  afterPosition: number,
  vaultIds: readonly string[] | "all",
  limit: number,
): Promise<(IntentEvent & { vault_id: string })[]> {
  if (vaultIds !== "all" && vaultIds.length === 0) return [];
  let query = eventsWithVault(db)
    .where("intent_events.position", ">", afterPosition)
    .orderBy("intent_events.position", "asc")
    .limit(limit);
  if (vaultIds !== "all") query = query.where("intents.vault_id", "in", vaultIds);
  return withVault(await query.execute());
}

/** Events joined to their intent's vault: the shape the position and id reads below share. */
function eventsWithVault(db: Kysely<Database>) {
  return db
    .selectFrom("intent_events")
    .innerJoin("intents", "intents.id", "intent_events.intent_id")
    .selectAll("intent_events")
    .select("intents.vault_id");
}

function withVault(
  rows: readonly (Selectable<IntentEventsTable> & { vault_id: string })[],
): (IntentEvent & { vault_id: string })[] {
  return rows.map((row) => ({ ...rowToEvent(row), vault_id: row.vault_id }));
}

/** An event without its payload: what a consumer that filters before it reads (webhooks, alerts) looks at. */
export interface EventHead {
  position: number;
  event_id: string;
  intent_id: string;
  message_type: IntentEvent["message_type"];
  vault_id: string;
}

/**
 * `listEventsAfterPosition` without payloads, hashes or parsing: a consumer woken on every commit reads the
 * page's heads, decides what it needs, and reads those events' payloads only (`listEventsByIds`).
 */
export async function listEventHeadsAfterPosition(
  db: Kysely<Database>,
  afterPosition: number,
  limit: number,
): Promise<EventHead[]> {
  const rows = await db
    .selectFrom("intent_events")
    .innerJoin("intents", "intents.id", "intent_events.intent_id")
    .select([
      "intent_events.position",
      "intent_events.event_id",
      "intent_events.intent_id",
      "intent_events.message_type",
      "intents.vault_id",
    ])
    .where("intent_events.position", ">", afterPosition)
    .orderBy("intent_events.position", "asc")
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    position: Number(row.position),
    event_id: row.event_id,
    intent_id: row.intent_id,
    message_type: MessageType.parse(row.message_type),
    vault_id: row.vault_id,
  }));
}

/** The events with these ids (any order), each with its intent's vault. */
export async function listEventsByIds(
  db: Kysely<Database>,
  eventIds: readonly string[],
): Promise<(IntentEvent & { vault_id: string })[]> {
  if (eventIds.length === 0) return [];
  return withVault(await eventsWithVault(db).where("intent_events.event_id", "in", eventIds).execute());
}
