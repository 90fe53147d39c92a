import { type Kysely, sql } from "kysely";
import { dialectOf } from "./db";
import type { Tx } from "./intents-repo";
import type { Database } from "./schema";

/**
 * Takes the next `count` event positions from the single-row counter, inside the caller's
 * transaction, and returns the first. Call it as the LAST statement before commit: the UPDATE holds
 * the counter's row lock until the transaction ends, so appends serialize only on this final step,
 * positions commit in the order they were taken (a reader never sees N+1 before N), and a rollback
 * gives its numbers back with the lock (no gap). On SQLite writers are serialized by the database.
 */
export async function allocatePositions(trx: Tx, count: number): Promise<number> {
  const update = trx
    .updateTable("event_position")
    .set({ last: sql`last + ${count}` })
    .where("id", "=", 1);
  const row =
    dialectOf<Database>(trx) === "postgres"
      ? await update.returning(["last", notifyPosition()]).executeTakeFirstOrThrow()
      : await update.returning("last").executeTakeFirstOrThrow();
  return Number(row.last) - count + 1;
}

/**
 * The PostgreSQL channel on which every append announces its last position. The NOTIFY is queued by
 * the appending transaction itself (see notifyPosition), so PostgreSQL delivers it exactly when that
 * transaction commits, in commit order, and never for one that rolled back or was killed.
 */
export const POSITION_CHANNEL = "defix_event_position";

/**
 * `pg_notify(channel, last)` as a RETURNING column of the counter's UPDATE: no extra statement, and
 * in the single-statement CTE writes it fires only when the guarded write took positions.
 */
export function notifyPosition() {
  return sql<string>`pg_notify(${POSITION_CHANNEL}, last::text)::text`.as("notified");
}

/** The last position handed out and committed (0 before the first event). */
export async function headPosition(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom("event_position").select("last").where("id", "=", 1).executeTakeFirst();
  return row === undefined ? 0 : Number(row.last);
}
