import { type Kysely, type QueryCreator, sql } from "kysely";
import type { IntentRecord } from "../domain/record";
import { previousHashSql } from "./chain";
import { dialectOf } from "./db";
import { StaleIntentError } from "./errors";
import { EVENT_COLUMNS, eventSelectLists } from "./event-append";
import {
  appendResolved,
  type Committed,
  guardedUpdate,
  headVisibleSql,
  projectSteps,
  type ResolvedStep,
  runSteps,
  type TransitionStep,
  type Tx,
} from "./intents-repo";
import { notifyPosition } from "./positions";
import type { Database } from "./schema";

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
    if (dialectOf<Database>(trx) === "postgres" && resolved.length > 1) return appendManyOnPostgres(trx, resolved);
    const committed: Committed[] = [];
    for (const part of resolved) committed.push(await appendResolved(trx, part.current, part.steps));
    return committed;
  });
}

/**
 * PostgreSQL, several intents' appends as ONE statement (a signing turn's): a guarded projection update per intent
 * (CTEs `t0`…), one range of positions for all their events, taken only once every guard returned its row (so the
 * counter is the statement's last lock, as in `appendOnPostgres`), and the events, each intent's hashes chained to
 * its own head. Any stale guard throws StaleIntentError (the caller's transaction rolls back).
 */
async function appendManyOnPostgres(
  trx: Tx,
  parts: readonly { current: IntentRecord; steps: readonly ResolvedStep[] }[],
): Promise<Committed[]> {
  const projected = parts.map((part) => ({ current: part.current, ...projectSteps(part.current, part.steps) }));
  const total = projected.reduce((sum, part) => sum + part.stored.length, 0);
  if (projected.some((part) => part.stored.length === 0)) throw new Error("a signing turn's append without events");
  // Each CTE is typed as the creator it extends: the statement reads them only through raw SQL below.
  let creator: QueryCreator<Database> = trx;
  for (const [i, part] of projected.entries()) {
    const { current, record } = part;
    creator = creator.with(`t${i}`, () =>
      guardedUpdate(trx, current, record).where(headVisibleSql(current)).returning("id"),
    ) as unknown as QueryCreator<Database>;
  }
  const guardsHeld = sql.join(
    projected.map((_, i) => sql`(select count(*) from ${sql.table(`t${i}`)})`),
    sql` + `,
  );
  creator = creator.with("pos", () =>
    trx
      .updateTable("event_position")
      .set({ last: sql`last + ${total}` })
      .where("id", "=", 1)
      .where(sql<boolean>`${guardsHeld} = ${projected.length}`)
      .returning(["last", notifyPosition()]),
  ) as unknown as QueryCreator<Database>;
  let offset = 0;
  const selects = projected.map((part, i) => {
    const target = `t${i}`;
    const lists = eventSelectLists(part.stored, previousHashSql(part.current.id, part.current.seq_num), {
      target,
      offset,
      total,
    });
    offset += part.stored.length;
    return sql.join(
      lists.map((list) => sql`select ${sql.join(list)} from ${sql.table(target)}, pos`),
      sql` union all `,
    );
  });
  const inserted = await creator
    .insertInto("intent_events")
    .columns(EVENT_COLUMNS)
    .expression(sql<Record<(typeof EVENT_COLUMNS)[number], unknown>>`${sql.join(selects, sql` union all `)}`)
    .returning(["event_id", "position", "hash"])
    .execute();
  if (inserted.length !== total) {
    const written = new Set(inserted.map((row) => row.event_id));
    const stale = projected.find((part) => part.stored.some((event) => !written.has(event.event_id)));
    throw new StaleIntentError(stale?.current.id ?? "");
  }
  const stamps = new Map(
    inserted.map((row) => [row.event_id, { position: Number(row.position), hash: row.hash ?? undefined }]),
  );
  return projected.map((part) => ({
    record: part.record,
    events: part.stored.map((event) => ({ ...event, ...stamps.get(event.event_id) })),
  }));
}
