import { type Kysely, sql } from "kysely";
import type { ReceivedPayload } from "../../lib/defix";
import { GENESIS_HASH } from "../../lib/defix/audit-chain";
import { hashEvents } from "./chain";
import { dialectOf } from "./db";
import { type Committed, newIntent, type Tx } from "./intents-repo";
import { allocatePositions } from "./positions";
import type { Database } from "./schema";

/** One intent to create: its INTENT_RECEIVED payload, the submit's time, and its id when the caller chose it. */
export interface NewIntentRequest {
  payload: ReceivedPayload;
  at: Date;
  id?: string;
}

/**
 * What became of one intent of a batch. "duplicate": a live intent with the same (vault, action, config_hash)
 * exists (or an earlier one of this batch is it); "full": its vault is at `maxLive`; "retry": refused as full
 * only because an earlier intent of the batch that took a place turned out to be a duplicate (ask again).
 */
export type BatchOutcome = Committed | "duplicate" | "full" | "retry";

/**
 * Creates several intents in ONE transaction (group commit, docs/ARCHITECTURE.md "Submit"): one commit, one
 * counter-row lock and a fixed number of statements for the whole batch instead of per intent. The rules are
 * those of `insertIntent`, intent by intent in the batch's order:
 *
 * - duplicates are decided by the partial unique index (ON CONFLICT DO NOTHING), never by a prior read, so
 *   identical submits in one batch, or in two processes, create exactly one;
 * - with `maxLive`, the count of a vault's live intents and the inserts happen under the vault's lock (SQLite:
 *   the write lock taken at BEGIN; PostgreSQL: a per-vault advisory lock (serializing processes too), taken
 *   in ascending key order so two batches never wait on each other in a cycle), so the bound is exact;
 * - positions are taken last, as one range, in the batch's order (positions.ts), and each event starts its own
 *   intent's hash chain.
 */
export async function insertIntentBatch(
  db: Kysely<Database>,
  requests: readonly NewIntentRequest[],
  maxLive: number | null,
): Promise<BatchOutcome[]> {
  const fresh = requests.map((request) => newIntent(request.payload, request.at, request.id));
  return db.transaction().execute(async (trx) => {
    const placesLeft = maxLive === null ? null : await lockAndCountPlaces(trx, fresh, maxLive);
    const admitted = fresh.map(({ record }) => {
      if (placesLeft === null) return true;
      const left = placesLeft.get(record.vault_id) ?? 0;
      placesLeft.set(record.vault_id, left - 1);
      return left > 0;
    });
    const rows = fresh.filter((_, index) => admitted[index]).map(({ intentRow }) => intentRow);
    const inserted = new Set<string>();
    if (rows.length > 0) {
      const returned = await trx
        .insertInto("intents")
        .values(rows)
        .onConflict((oc) => oc.doNothing())
        .returning("id")
        .execute();
      for (const row of returned) inserted.add(row.id);
    }
    const created = fresh.filter(({ record }) => inserted.has(record.id));
    const stored = new Map<string, Committed>();
    if (created.length > 0) {
      const first = await allocatePositions(trx, created.length);
      // Each event is the first of its own intent's chain (GENESIS before it); the positions follow the batch.
      const positioned = created.flatMap(({ event }, index) =>
        hashEvents(GENESIS_HASH, [{ ...event, position: first + index }]),
      );
      await trx
        .insertInto("intent_events")
        .values(positioned.map((event) => ({ ...event, payload: JSON.stringify(event.payload) })))
        .execute();
      for (const [index, { record }] of created.entries()) {
        stored.set(record.id, { record, events: positioned.slice(index, index + 1) });
      }
    }
    // A place counted for a duplicate was not taken: an intent refused only for want of it may ask again.
    const duplicatesPerVault = new Map<string, number>();
    fresh.forEach(({ record }, index) => {
      if (admitted[index] && !inserted.has(record.id)) {
        duplicatesPerVault.set(record.vault_id, (duplicatesPerVault.get(record.vault_id) ?? 0) + 1);
      }
    });
    return fresh.map(({ record }, index): BatchOutcome => {
      const committed = stored.get(record.id);
      if (committed !== undefined) return committed;
      if (admitted[index]) return "duplicate";
      return (duplicatesPerVault.get(record.vault_id) ?? 0) > 0 ? "retry" : "full";
    });
  });
}

/** Locks the batch's vaults (PostgreSQL) and returns how many more live intents each may hold. */
async function lockAndCountPlaces(
  trx: Tx,
  fresh: readonly ReturnType<typeof newIntent>[],
  maxLive: number,
): Promise<Map<string, number>> {
  const vaults = [...new Set(fresh.map(({ record }) => record.vault_id))];
  if (dialectOf<Database>(trx) === "postgres") {
    // Ascending lock keys, one lock per statement: the order of acquisition is then certain.
    if (vaults.length === 1) {
      await sql`select pg_advisory_xact_lock(hashtext(${`intents:${vaults[0]}`}))`.execute(trx);
    } else {
      const keys = vaults.map((vault) => `intents:${vault}`);
      const { rows } = await sql<{
        key: number;
      }>`select distinct hashtext(k) as key from unnest(${keys}::text[]) as k order by key`.execute(trx);
      for (const { key } of rows) await sql`select pg_advisory_xact_lock(${key}::integer)`.execute(trx);
    }
  }
  const counts = await trx
    .selectFrom("intents")
    .select((eb) => ["vault_id", eb.fn.countAll<number | string | bigint>().as("n")])
    .where("vault_id", "in", vaults)
    .where("active", "=", 1)
    .groupBy("vault_id")
    .execute();
  const live = new Map(counts.map((row) => [row.vault_id, Number(row.n)]));
  return new Map(vaults.map((vault) => [vault, Math.max(0, maxLive - (live.get(vault) ?? 0))]));
}
