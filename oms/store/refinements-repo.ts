import { type Kysely, sql } from "kysely";
import { Refinement } from "../../lib/defix/refinements";
import { dialectOf } from "./db";
import type { Database } from "./schema";

/** A refinement used by an intent is kept this long after it expires: the intent plans with it until its deadline. */
const USED_RETENTION_MS = 7 * 24 * 3600 * 1000;

const parse = (body: string): Refinement => Refinement.parse(JSON.parse(body));

/** A stored refinement row as the engine plans with it (the one place its body is parsed for an intent). */
export const usedRefinement = (row: { body: string; intent_id: string | null }): Refinement => ({
  ...parse(row.body),
  intent_id: row.intent_id,
});

/**
 * Stores a refinement unless its requester already holds `maxPerSubject` unexpired ones (then
 * "full"). Expired, unused refinements of the requester are deleted first. Count and insert run in
 * one transaction per requester (SQLite's write lock; an advisory lock on PostgreSQL).
 */
export async function insertRefinementBounded(
  db: Kysely<Database>,
  refinement: Refinement,
  now: Date,
  maxPerSubject: number,
): Promise<"stored" | "full"> {
  const at = now.toISOString();
  const subject = refinement.requested_by;
  return db.transaction().execute(async (trx) => {
    if (dialectOf(db) === "postgres") {
      await sql`select pg_advisory_xact_lock(hashtext(${`refinements:${subject}`}))`.execute(trx);
    }
    await trx
      .deleteFrom("refinements")
      .where("requested_by", "=", subject)
      .where("expires_at", "<=", at)
      .where("intent_id", "is", null)
      .execute();
    const { n } = await trx
      .selectFrom("refinements")
      .select((eb) => eb.fn.countAll<number | string>().as("n"))
      .where("requested_by", "=", subject)
      .where("expires_at", ">", at)
      .executeTakeFirstOrThrow();
    if (Number(n) >= maxPerSubject) return "full";
    await trx
      .insertInto("refinements")
      .values({
        id: refinement.refinement_id,
        vault_id: refinement.vault_id,
        requested_by: subject,
        config_hash: refinement.config_hash,
        outcome: refinement.outcome,
        body: JSON.stringify(refinement),
        created_at: refinement.created_at,
        expires_at: refinement.expires_at,
        intent_id: null,
      })
      .execute();
    return "stored";
  });
}

/** When the oldest of the requester's unexpired refinements expires (for Retry-After). */
export async function oldestLiveExpiry(db: Kysely<Database>, subject: string, now: Date): Promise<string | null> {
  const row = await db
    .selectFrom("refinements")
    .select("expires_at")
    .where("requested_by", "=", subject)
    .where("expires_at", ">", now.toISOString())
    .orderBy("expires_at")
    .limit(1)
    .executeTakeFirst();
  return row?.expires_at ?? null;
}

export async function getRefinement(db: Kysely<Database>, id: string): Promise<Refinement | null> {
  const row = await db.selectFrom("refinements").select(["body", "intent_id"]).where("id", "=", id).executeTakeFirst();
  return row === undefined ? null : { ...parse(row.body), intent_id: row.intent_id };
}

/** The refinement an intent was submitted with, if any. */
export async function refinementForIntent(db: Kysely<Database>, intentId: string): Promise<Refinement | null> {
  const row = await db
    .selectFrom("refinements")
    .select(["body", "intent_id"])
    .where("intent_id", "=", intentId)
    .executeTakeFirst();
  return row === undefined ? null : usedRefinement(row);
}

/** Marks the refinement used by `intentId`; false when another submit used it first. */
export async function claimRefinement(db: Kysely<Database>, id: string, intentId: string): Promise<boolean> {
  const result = await db
    .updateTable("refinements")
    .set({ intent_id: intentId })
    .where("id", "=", id)
    .where("intent_id", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Undoes a claim whose intent was not created (an identical live intent answered instead). */
export async function releaseRefinement(db: Kysely<Database>, id: string, intentId: string): Promise<void> {
  await db
    .updateTable("refinements")
    .set({ intent_id: null })
    .where("id", "=", id)
    .where("intent_id", "=", intentId)
    .execute();
}

/** Deletes refinements nobody can use any more; returns how many. */
export async function purgeRefinements(db: Kysely<Database>, now: Date): Promise<number> {
  const at = now.toISOString();
  const usedBefore = new Date(now.getTime() - USED_RETENTION_MS).toISOString();
  const result = await db
    .deleteFrom("refinements")
    .where((eb) =>
      eb.or([eb.and([eb("intent_id", "is", null), eb("expires_at", "<=", at)]), eb("expires_at", "<=", usedBefore)]),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
