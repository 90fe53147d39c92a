import { type Insertable, type Kysely, type QueryCreator, sql } from "kysely";
import type { IntentRecord } from "../domain/record";
import { dialectOf } from "./db";
import { StaleIntentError } from "./errors";
import { EVENT_COLUMNS, eventsFromJsonSql } from "./event-append";
import {
  appendResolved,
  type Committed,
  guardedUpdate,
  headVisibleSql,
  projectSteps,
  type ResolvedStep,
  runSteps,
  type TransitionStep,
} from "./intents-repo";
import { REQUIRE_FAILED_SQLSTATE } from "./migrations/012-require";
import { notifyPosition } from "./positions";
import { attemptChangesSql, fillsInsertSql, mergeRowWrites, NO_ROW_WRITES, type RowWrites } from "./row-writes";
import type { Database, TxAttemptsTable } from "./schema";

/**
 * Several intents' appends together: in one transaction (`commitStepsTogether`, steps that run code), or as ONE
 * PostgreSQL statement (`appendManyStatement`: the append batcher's group commit; `commitSigningTurn`: a signing
 * turn with its nonces and attempts).
 */

/**
 * Several intents' steps in ONE transaction, intent after intent (a signer's lane signing for several intents at
 * once: one commit, and the nonce row locked once). Any intent's stale guard or failed write rolls back all of
 * them: the caller decides whether to write them one by one instead.
 */
export function commitStepsTogether(
  db: Kysely<Database>,
  parts: readonly { current: IntentRecord; steps: readonly TransitionStep[] }[],
): Promise<Committed[]> {
  return db.transaction().execute(async (trx) => {
    // Every intent's writes first, then the appends: the first append takes the positions counter's lock, held
    // to the commit (positions.ts), so nothing else (a signature, a nonce) may run after it.
    const resolved: { current: IntentRecord; steps: ResolvedStep[] }[] = [];
    for (const part of parts) resolved.push({ current: part.current, steps: await runSteps(trx, part.steps) });
    if (dialectOf<Database>(trx) === "postgres" && resolved.length > 1) return appendManyStatement(trx, resolved);
    const committed: Committed[] = [];
    for (const part of resolved) committed.push(await appendResolved(trx, part.current, part.steps));
    return committed;
  });
}

/** One intent's part of a statement that appends for several: its steps, its rows elsewhere, its new attempt. */
export interface AppendPart {
  current: IntentRecord;
  steps: readonly ResolvedStep[];
  rows?: RowWrites;
  attempt?: Insertable<TxAttemptsTable>;
}

/**
 * `steps` as the part of a statement of several intents when each step is data only (its events given, its other
 * rows as `RowWrites`); null when one runs code (a `write`, events computed in the transaction).
 */
export function dataAppendPart(current: IntentRecord, steps: readonly TransitionStep[]): AppendPart | null {
  const resolved: ResolvedStep[] = [];
  for (const step of steps) {
    if (typeof step.events === "function" || step.write !== undefined) return null;
    resolved.push({ at: step.at, list: step.events });
  }
  return { current, steps: resolved, rows: mergeRowWrites(steps.map((step) => step.rows)) };
}

/** A signing turn's nonces: the signer's counter moves from `expected` by `count`, or nothing is written. */
export interface NonceAdvance {
  chainId: number;
  signer: string;
  expected: number;
  count: number;
  at: Date;
}

/** Whether `error` is `defix_require` failing (migration 012): the statement wrote nothing. */
export function isRequireFailure(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && error.code === REQUIRE_FAILED_SQLSTATE;
}

/**
 * PostgreSQL, one signing turn as ONE autocommit statement: the signer's nonces (only from the value the lane
 * predicted), every intent's guarded update, their attempts and row writes, one range of positions and the events.
 * No BEGIN/COMMIT and no client round trip while the positions counter is held. A missed guess or a stale intent
 * raises in the statement, so nothing at all is written, and throws StaleIntentError.
 */
export function commitSigningTurn(
  db: Kysely<Database>,
  nonce: NonceAdvance,
  parts: readonly AppendPart[],
): Promise<Committed[]> {
  return appendManyStatement(db, parts, nonce);
}

/**
 * PostgreSQL, several intents' appends as ONE statement: a guarded projection update per intent (CTEs `t0`…, after
 * the nonce CTE `n` when there is one, so locks are taken in the order of a signing transaction: nonce, intents,
 * counter), their row writes, one range of positions for all their events, taken only once every guard returned its
 * row (the statement's last lock, as in `appendOnPostgres`), the new attempts, and the events, each intent's hashes
 * chained to its own head. A guard that did not hold raises (`defix_require`): inside a transaction the caller's
 * transaction rolls back, on its own the statement does. Either way StaleIntentError is thrown.
 */
export async function appendManyStatement(
  qb: Kysely<Database>,
  parts: readonly AppendPart[],
  nonce?: NonceAdvance,
): Promise<Committed[]> {
  const projected = parts.map((part) => ({ ...part, ...projectSteps(part.current, part.steps) }));
  const total = projected.reduce((sum, part) => sum + part.stored.length, 0);
  if (projected.some((part) => part.stored.length === 0))
    throw new Error("an append of several intents without events");
  // Each CTE is typed as the creator it extends: the statement reads them only through raw SQL below.
  let creator: QueryCreator<Database> = qb;
  const withCte = (name: string, cte: Parameters<QueryCreator<Database>["with"]>[1]) => {
    creator = creator.with(name, cte) as unknown as QueryCreator<Database>;
  };
  if (nonce !== undefined) {
    withCte("n", () =>
      qb
        .updateTable("signer_nonces")
        .set({ next_nonce: sql`next_nonce + ${nonce.count}`, updated_at: nonce.at.toISOString() })
        .where("chain_id", "=", nonce.chainId)
        .where("signer", "=", nonce.signer.toLowerCase())
        .where("next_nonce", "=", nonce.expected)
        .returning("next_nonce"),
    );
  }
  for (const [i, part] of projected.entries()) {
    const { current, record } = part;
    const target = `t${i}`;
    withCte(target, () => {
      const guarded = guardedUpdate(qb, current, record).where(headVisibleSql(current));
      return (nonce === undefined ? guarded : guarded.where(sql<boolean>`exists (select 1 from n)`)).returning("id");
    });
    const rows = part.rows ?? NO_ROW_WRITES;
    if (rows.attempts.length > 0) withCte(`a${i}`, () => attemptChangesSql(rows.attempts, target));
    if (rows.fills.length > 0) withCte(`f${i}`, () => fillsInsertSql(rows.fills, target));
  }
  const guardsHeld = sql.join(
    projected.map((_, i) => sql`(select count(*) from ${sql.table(`t${i}`)})`),
    sql` + `,
  );
  const what = nonce === undefined ? "an intent changed concurrently" : "an intent or the signer's nonce moved";
  withCte("pos", () =>
    qb
      .updateTable("event_position")
      .set({ last: sql`last + ${total}` })
      .where("id", "=", 1)
      .where(sql<boolean>`defix_require(${guardsHeld} = ${projected.length}, ${what})`)
      .returning(["last", notifyPosition()]),
  );
  const attempts = projected.flatMap((part) => (part.attempt === undefined ? [] : [part.attempt]));
  if (attempts.length > 0) {
    withCte(
      "ins",
      () => sql`(insert into tx_attempts
        select * from jsonb_populate_recordset(null::tx_attempts, ${JSON.stringify(attempts)}::jsonb)
        where exists (select 1 from pos)
        returning tx_hash)`,
    );
  }
  const inserted = await creator
    .insertInto("intent_events")
    .columns(EVENT_COLUMNS)
    .expression(eventsFromJsonSql(projected.map((part) => ({ events: part.stored }))))
    .returning(["event_id", "position", "hash"])
    .execute()
    .catch((error: unknown) => {
      if (isRequireFailure(error)) throw new StaleIntentError(projected.map((part) => part.current.id).join(", "));
      throw error;
    });
  if (inserted.length !== total) throw new Error(`an append of ${total} events wrote ${inserted.length}`);
  const stamps = new Map(
    inserted.map((row) => [row.event_id, { position: Number(row.position), hash: row.hash ?? undefined }]),
  );
  return projected.map((part) => ({
    record: part.record,
    events: part.stored.map((event) => ({ ...event, ...stamps.get(event.event_id) })),
  }));
}
