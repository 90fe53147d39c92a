import type { ExpressionBuilder, Kysely } from "kysely";
import type { IntentRecord } from "../domain/record";
import { dialectOf, withoutOwnSync } from "./db";
import { rowToRecord } from "./rows";
import type { Database } from "./schema";

/** No worker holds the intent: never leased, or its lease ran out (a crashed worker's). */
const leaseFree = (at: string) => (eb: ExpressionBuilder<Database, "intents">) =>
  eb.or([eb("lease_expires_at", "is", null), eb("lease_expires_at", "<", at)]);

/**
 * The two lanes a worker claims for: `tracking`, intents EXECUTING (a transaction out, a receipt to look for: short
 * steps); `progress`, every other state (planning, signing: the long ones). A worker keeps slots for each, so a
 * mined transaction's intent is never queued behind new intents' drives.
 */
export type Lane = "tracking" | "progress";
export type LaneLimits = Readonly<Record<Lane, number>>;

export const laneOf = (record: Pick<IntentRecord, "state">): Lane =>
  record.state === "EXECUTING" ? "tracking" : "progress";

/**
 * Ids of active intents (of one lane, or any) due at `at`, or named in `early`, and free to claim, the longest-waiting
 * first.
 */
const dueIds = (db: Kysely<Database>, at: string, limit: number, lane?: Lane, early: readonly string[] = []) => {
  const due = db
    .selectFrom("intents")
    .select("id")
    .where("active", "=", 1)
    .where((eb) =>
      early.length === 0
        ? eb("next_attempt_at", "<=", at)
        : eb.or([eb("next_attempt_at", "<=", at), eb("id", "in", early)]),
    )
    .where(leaseFree(at));
  const inLane = lane === undefined ? due : due.where("state", lane === "tracking" ? "=" : "<>", "EXECUTING");
  return inLane.orderBy("next_attempt_at", "asc").limit(limit);
};

/**
 * Claims due intents for `owner`: up to `limit` of any state, or up to each lane's limit. Each claim is a conditional
 * UPDATE (lease free or expired), atomic in both dialects, so two workers — in one process or many — never both hold
 * an intent; a crashed worker's lease simply runs out and someone else picks the intent up. One statement on
 * PostgreSQL whatever the lanes, so keeping two lanes costs no more claims than one.
 */
export async function claimDueIntents(
  db: Kysely<Database>,
  owner: string,
  now: Date,
  leaseMs: number,
  limit: number | LaneLimits,
  /** EXECUTING intents to claim for the tracking lane though not due yet (a new head came: `ReceiptWatch.behind`). */
  trackEarly: readonly string[] = [],
): Promise<IntentRecord[]> {
  const at = now.toISOString();
  const lease = { lease_owner: owner, lease_expires_at: new Date(now.getTime() + leaseMs).toISOString() };
  const claim = (on: Kysely<Database>) =>
    on.updateTable("intents").set(lease).where("active", "=", 1).where(leaseFree(at));
  const wanted: [Lane | undefined, number][] =
    typeof limit === "number"
      ? [[undefined, limit]]
      : [
          ["tracking", limit.tracking],
          ["progress", limit.progress],
        ];
  const lanes = wanted.filter(([, count]) => count > 0);
  if (lanes.length === 0) return [];
  if (dialectOf(db) === "postgres") {
    // Lock up to each lane's limit of due rows, skipping those another worker is claiming right now.
    const locked = (lane: Lane | undefined, count: number) =>
      db
        .selectFrom(
          dueIds(db, at, count, lane, lane === "tracking" ? trackEarly : [])
            .forUpdate()
            .skipLocked()
            .as(lane ?? "due"),
        )
        .select("id");
    const [first, ...rest] = lanes.map(([lane, count]) => locked(lane, count));
    if (first === undefined) return [];
    const ids = rest.reduce((union, next) => union.unionAll(next), first);
    const rows = await claim(db).where("id", "in", ids).returningAll().execute();
    return rows.map(rowToRecord);
  }
  // SQLite has no SKIP LOCKED: read a few more candidates than needed and claim them one by one, each claim
  // without an fsync of its own (a lease lost in a crash runs out like any dead worker's: see withoutOwnSync).
  return withoutOwnSync(db, async (connection) => {
    const claimed: IntentRecord[] = [];
    for (const [lane, count] of lanes) {
      let taken = 0;
      for (const { id } of await dueIds(
        connection,
        at,
        count * 3,
        lane,
        lane === "tracking" ? trackEarly : [],
      ).execute()) {
        if (taken >= count) break;
        const row = await claim(connection).where("id", "=", id).returningAll().executeTakeFirst();
        if (row === undefined) continue;
        claimed.push(rowToRecord(row));
        taken += 1;
      }
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
