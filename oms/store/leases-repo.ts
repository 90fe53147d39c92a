import type { Kysely } from "kysely";
import type { IntentRecord } from "../core/record";
import { dialectOf } from "./db";
import { rowToRecord } from "./rows";
import type { Database } from "./schema";

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
  const expires = new Date(now.getTime() + leaseMs).toISOString();
  if (dialectOf(db) === "postgres") {
    // One statement: lock up to `limit` due rows, skipping those another worker is claiming right now.
    const rows = await db
      .updateTable("intents")
      .set({ lease_owner: owner, lease_expires_at: expires })
      .where("id", "in", (eb) =>
        eb
          .selectFrom("intents")
          .select("id")
          .where("active", "=", 1)
          .where("next_attempt_at", "<=", at)
          .where((w) => w.or([w("lease_expires_at", "is", null), w("lease_expires_at", "<", at)]))
          .orderBy("next_attempt_at", "asc")
          .limit(limit)
          .forUpdate()
          .skipLocked(),
      )
      .where("active", "=", 1)
      .where((eb) => eb.or([eb("lease_expires_at", "is", null), eb("lease_expires_at", "<", at)]))
      .returningAll()
      .execute();
    return rows.map(rowToRecord);
  }
  const candidates = await db
    .selectFrom("intents")
    .select("id")
    .where("active", "=", 1)
    .where("next_attempt_at", "<=", at)
    .where((eb) => eb.or([eb("lease_expires_at", "is", null), eb("lease_expires_at", "<", at)]))
    .orderBy("next_attempt_at", "asc")
    .limit(limit * 3)
    .execute();
  const claimed: IntentRecord[] = [];
  for (const { id } of candidates) {
    if (claimed.length >= limit) break;
    const row = await db
      .updateTable("intents")
      .set({ lease_owner: owner, lease_expires_at: expires })
      .where("id", "=", id)
      .where("active", "=", 1)
      .where((eb) => eb.or([eb("lease_expires_at", "is", null), eb("lease_expires_at", "<", at)]))
      .returningAll()
      .executeTakeFirst();
    if (row !== undefined) claimed.push(rowToRecord(row));
  }
  return claimed;
}

/** Gives the intent back, due again at `nextAttemptAt` (terminal intents are never claimed again). */
export async function releaseIntent(
  db: Kysely<Database>,
  id: string,
  owner: string,
  nextAttemptAt: Date,
): Promise<void> {
  await db
    .updateTable("intents")
    .set({ lease_owner: null, lease_expires_at: null, next_attempt_at: nextAttemptAt.toISOString() })
    .where("id", "=", id)
    .where("lease_owner", "=", owner)
    .execute();
}
