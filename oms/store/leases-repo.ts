import type { ExpressionBuilder, Kysely } from "kysely";
import type { IntentRecord } from "../domain/record";
import { dialectOf, withoutOwnSync } from "./db";
import { rowToRecord } from "./rows";
import type { Database } from "./schema";

/** No worker holds the intent: never leased, or its lease ran out (a crashed worker's). */
const leaseFree = (at: string) => (eb: ExpressionBuilder<Database, "intents">) =>
  eb.or([eb("lease_expires_at", "is", null), eb("lease_expires_at", "<", at)]);

/** Ids of active intents due at `at` and free to claim, the longest-waiting first. */
const dueIds = (db: Kysely<Database>, at: string, limit: number) =>
  db
    .selectFrom("intents")
    .select("id")
    .where("active", "=", 1)
    .where("next_attempt_at", "<=", at)
    .where(leaseFree(at))
    .orderBy("next_attempt_at", "asc")
    .limit(limit);

/**
 * Claims up to `limit` due intents for `owner`. Each claim is a conditional UPDATE (lease free or
 * expired), atomic in both dialects, so two workers — in one process or many — never both hold an
 * intent; a crashed worker's lease simply runs out and someone else picks the intent up.
 */
export async function claimDueIntents(
  db: Kysely<Database>,
  owner: string,
  now: Date,
  leaseMs: number,
  limit: number,
): Promise<IntentRecord[]> {
  const at = now.toISOString();
  const lease = { lease_owner: owner, lease_expires_at: new Date(now.getTime() + leaseMs).toISOString() };
  const claim = (on: Kysely<Database>) =>
    on.updateTable("intents").set(lease).where("active", "=", 1).where(leaseFree(at));
  if (dialectOf(db) === "postgres") {
    // One statement: lock up to `limit` due rows, skipping those another worker is claiming right now.
    const rows = await claim(db)
      .where("id", "in", dueIds(db, at, limit).forUpdate().skipLocked())
      .returningAll()
      .execute();
    return rows.map(rowToRecord);
  }
  // SQLite has no SKIP LOCKED: read a few more candidates than needed and claim them one by one, each claim
  // without an fsync of its own (a lease lost in a crash runs out like any dead worker's: see withoutOwnSync).
  return withoutOwnSync(db, async (connection) => {
    const claimed: IntentRecord[] = [];
    for (const { id } of await dueIds(connection, at, limit * 3).execute()) {
      if (claimed.length >= limit) break;
      const row = await claim(connection).where("id", "=", id).returningAll().executeTakeFirst();
      if (row !== undefined) claimed.push(rowToRecord(row));
    }
    return claimed;
  });
}

/** Gives the intent back, due again at `nextAttemptAt` (terminal intents are never claimed again). */
export async function releaseIntent(
  db: Kysely<Database>,
  id: string,
  owner: string,
  nextAttemptAt: Date,
): Promise<void> {
  // Lost in a crash, the intent keeps the dead worker's lease until it runs out: no fsync of its own.
  await withoutOwnSync(db, (connection) =>
    connection
      .updateTable("intents")
      .set({ lease_owner: null, lease_expires_at: null, next_attempt_at: nextAttemptAt.toISOString() })
      .where("id", "=", id)
      .where("lease_owner", "=", owner)
      .execute(),
  );
}
