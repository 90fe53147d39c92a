import { randomUUID } from "node:crypto";
import { type Kysely, sql, type Transaction } from "kysely";
import type { ReceivedPayload } from "../../lib/defix";
import { type IntentEvent, isTerminalState } from "../../lib/defix";
import type { NewEvent } from "../domain/new-event";
import { applyEvent } from "../domain/projector";
import type { IntentRecord } from "../domain/record";
import { previousHash } from "./chain";
import { dialectOf } from "./db";
import { StaleIntentError } from "./errors";
import { EVENT_COLUMNS, eventsFromJsonSql, insertEvents, takePositions, toEvent } from "./event-append";
import {
  applyRowWrites,
  attemptChangesSql,
  fillsInsertSql,
  hasRowWrites,
  mergeRowWrites,
  NO_ROW_WRITES,
  type RowWrites,
} from "./row-writes";
import { changingColumns, recordColumns, rowToRecord } from "./rows";
import type { Database } from "./schema";

export type Tx = Transaction<Database>;
export interface Committed {
  record: IntentRecord;
  events: IntentEvent[];
}

/** An intent's first event, its projection and its row, due now. */
export function newIntent(payload: ReceivedPayload, at: Date, id: string = randomUUID()) {
  const now = at.toISOString();
  const event = toEvent(id, 1, { message_type: "INTENT_RECEIVED", payload: { ...payload } }, now);
  const record = applyEvent(null, event);
  const intentRow = {
    id: record.id,
    ...recordColumns(record, true),
    lease_owner: null,
    lease_expires_at: null,
    next_attempt_at: now,
  };
  return { event, record, intentRow };
}

export async function findLiveIntent(
  db: Kysely<Database>,
  key: { vault_id: string; action: string; config_hash: string },
): Promise<IntentRecord | null> {
  const row = await db
    .selectFrom("intents")
    .selectAll()
    .where("vault_id", "=", key.vault_id)
    .where("action", "=", key.action)
    .where("config_hash", "=", key.config_hash)
    .where("active", "=", 1)
    .executeTakeFirst();
  return row === undefined ? null : rowToRecord(row);
}

export async function getIntent(db: Kysely<Database> | Tx, id: string): Promise<IntentRecord | null> {
  const row = await db.selectFrom("intents").selectAll().where("id", "=", id).executeTakeFirst();
  return row === undefined ? null : rowToRecord(row);
}

/**
 * One step of an intent's history: its events, and optionally writes to other tables that belong to
 * it (an attempt's status, fills). `events` may instead be computed inside the transaction (`prepare`:
 * nonce allocation and a signed transaction stored with the state change).
 */
export interface TransitionStep {
  at: Date;
  events: readonly NewEvent[] | ((trx: Tx) => Promise<readonly NewEvent[]>);
  write?: (trx: Tx) => Promise<void>;
  /** Writes to other tables as data: on PostgreSQL part of the append's single statement (see RowWrites). */
  rows?: RowWrites;
}

/** Appends events and updates the projection atomically; see commitSteps. */
export function commitTransition(
  db: Kysely<Database>,
  current: IntentRecord,
  events: TransitionStep["events"],
  at: Date,
): Promise<Committed> {
  return commitSteps(db, current, [{ at, events }]);
}

/**
 * Appends the steps' events (each stamped with its step's time) and updates the projection in ONE
 * transaction, guarded by the sequence number the caller read: if anything else appended meanwhile,
 * nothing is written and StaleIntentError is thrown. Writes and `prepare`s run in step order inside
 * the same transaction; if one throws, everything rolls back.
 */
export async function commitSteps(
  db: Kysely<Database>,
  current: IntentRecord,
  steps: readonly TransitionStep[],
): Promise<Committed> {
  if (steps.every((step) => typeof step.events !== "function" && step.write === undefined)) {
    const { record, stored } = projectSteps(
      current,
      steps.map((step) => ({ at: step.at, list: step.events as readonly NewEvent[] })),
    );
    return commitEvents(db, current, record, stored, mergeRowWrites(steps.map((step) => step.rows)));
  }
  return db.transaction().execute((trx) => appendSteps(trx, current, steps));
}

export type ResolvedStep = { at: Date; list: readonly NewEvent[] };

/** Inside the caller's transaction: the steps' writes and `prepare`s in order; answers their events. */
export async function runSteps(trx: Tx, steps: readonly TransitionStep[]): Promise<ResolvedStep[]> {
  const resolved: ResolvedStep[] = [];
  for (const step of steps) {
    await step.write?.(trx);
    if (step.rows !== undefined) await applyRowWrites(trx, step.rows);
    resolved.push({ at: step.at, list: typeof step.events === "function" ? await step.events(trx) : step.events });
  }
  return resolved;
}

/** Inside the caller's transaction: the steps' writes and `prepare`s in order, then the guarded append. */
async function appendSteps(trx: Tx, current: IntentRecord, steps: readonly TransitionStep[]): Promise<Committed> {
  return appendResolved(trx, current, await runSteps(trx, steps));
}

export async function appendResolved(
  trx: Tx,
  current: IntentRecord,
  resolved: readonly ResolvedStep[],
): Promise<Committed> {
  const { record, stored } = projectSteps(current, resolved);
  // The guard is the projection's own update (last, not first): a committer that lost the race
  // finds no row at this sequence number and rolls back everything the steps wrote. On PostgreSQL
  // the update waits for a concurrent committer's row lock and re-checks the guard after it; there the
  // guard, the positions and the events are one statement (as in commitEvents), three round trips fewer.
  return append(trx, current, record, stored);
}

/**
 * The record after the steps' events and the events as they will be stored (sequence numbers
 * continuing from `current`). Pure: the engine uses it to run ahead of a deferred write.
 */
export function projectSteps(
  current: IntentRecord,
  steps: readonly { at: Date; list: readonly NewEvent[] }[],
): { record: IntentRecord; stored: IntentEvent[] } {
  const stored: IntentEvent[] = [];
  for (const step of steps) {
    const at = step.at.toISOString();
    for (const event of step.list) stored.push(toEvent(current.id, current.seq_num + stored.length + 1, event, at));
  }
  return { record: stored.reduce<IntentRecord>((intent, event) => applyEvent(intent, event), current), stored };
}

function projectionColumns(record: IntentRecord) {
  const isActive = !isTerminalState(record.state);
  return { ...changingColumns(record, isActive), ...(isActive ? {} : { lease_owner: null, lease_expires_at: null }) };
}

/**
 * Known events (writes elsewhere as data only): the projection is written by ONE update guarded by the sequence
 * number read, so the guard and the write are the same statement. On PostgreSQL the update, the row writes and the
 * event insert are one data-modifying CTE (atomic on its own: one round trip instead of BEGIN, the statements and
 * COMMIT, and no wait on this process while the positions counter is locked); a stale guard updates no row, so
 * nothing else is written.
 */
async function commitEvents(
  db: Kysely<Database>,
  current: IntentRecord,
  record: IntentRecord,
  stored: IntentEvent[],
  rows: RowWrites,
): Promise<Committed> {
  if (dialectOf(db) === "postgres" && stored.length > 0) return appendOnPostgres(db, current, record, stored, rows);
  return db.transaction().execute(async (trx) => {
    await applyRowWrites(trx, rows);
    return append(trx, current, record, stored);
  });
}

/**
 * In a transaction, after the steps' writes: the guarded projection update and the events (PostgreSQL: the one
 * statement of `appendOnPostgres`; otherwise the update, the chain head read and the insert). Stale → throws.
 */
async function append(trx: Tx, current: IntentRecord, record: IntentRecord, stored: IntentEvent[]): Promise<Committed> {
  if (dialectOf<Database>(trx) === "postgres" && stored.length > 0)
    return appendOnPostgres(trx, current, record, stored);
  const guard = await guardedUpdate(trx, current, record).executeTakeFirst();
  if (guard.numUpdatedRows !== 1n) throw new StaleIntentError(current.id);
  return { record, events: await insertEvents(trx, stored, await previousHash(trx, current.id, current.seq_num)) };
}

export const headVisibleSql = (current: IntentRecord) =>
  sql<boolean>`exists (select 1 from intent_events where intent_id = ${current.id} and seq_num = ${current.seq_num})`;

export const guardedUpdate = (qb: Kysely<Database> | Tx, current: IntentRecord, record: IntentRecord) =>
  qb
    .updateTable("intents")
    .set(projectionColumns(record))
    .where("id", "=", current.id)
    .where("seq_num", "=", current.seq_num);

/**
 * PostgreSQL: the guarded projection update, the positions and the event insert as ONE data-modifying CTE,
 * atomic on its own (or inside the caller's transaction). A stale guard updates no row, so the insert selects
 * none and StaleIntentError is thrown (rolling back the caller's transaction, if any).
 */
async function appendOnPostgres(
  qb: Kysely<Database> | Tx,
  current: IntentRecord,
  record: IntentRecord,
  stored: IntentEvent[],
  rows: RowWrites = NO_ROW_WRITES,
): Promise<Committed> {
  const count = stored.length;
  // The chain head this append links to must be in the statement's snapshot (it is whenever the
  // caller read `current` after its commit); if not, nothing is written: stale, never a fork.
  const headVisible = headVisibleSql(current);
  const withTarget = qb.with("target", () => guardedUpdate(qb, current, record).where(headVisible).returning("id"));
  // The row writes' CTEs are never read by the rest of the statement: it is typed as without them.
  const head: typeof withTarget = hasRowWrites(rows)
    ? (withTarget
        .with("attempts", () => attemptChangesSql(rows.attempts))
        .with("fills", () => fillsInsertSql(rows.fills)) as unknown as typeof withTarget)
    : withTarget;
  const inserted = await head
    .with("pos", () => takePositions(qb, count))
    .insertInto("intent_events")
    .columns(EVENT_COLUMNS)
    .expression(eventsFromJsonSql([{ events: stored }]))
    .returning(["event_id", "position", "hash"])
    .execute();
  if (inserted.length !== count) throw new StaleIntentError(current.id);
  const stamps = new Map(
    inserted.map((row) => [row.event_id, { position: Number(row.position), hash: row.hash ?? undefined }]),
  );
  return { record, events: stored.map((event) => ({ ...event, ...stamps.get(event.event_id) })) };
}
