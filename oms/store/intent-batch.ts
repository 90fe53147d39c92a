import { type Kysely, sql } from "kysely";
import type { ReceivedPayload } from "../../lib/defix";
import { GENESIS_HASH } from "../../lib/defix/audit-chain";
import { hashEvents, linkDigestSql } from "./chain";
import { dialectOf } from "./db";
import { eventJsonRow, takePositions } from "./event-append";
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
 *
 * PostgreSQL writes the batch's rows in one statement (`insertPostgres`): with no bound that statement is the whole
 * transaction (one round trip per batch instead of five); with one, it follows the locks and the count.
 */
export async function insertIntentBatch(
  db: Kysely<Database>,
  requests: readonly NewIntentRequest[],
  maxLive: number | null,
): Promise<BatchOutcome[]> {
  const fresh = requests.map((request) => newIntent(request.payload, request.at, request.id));
  const isPostgres = dialectOf(db) === "postgres";
  // Unbounded on PostgreSQL: the one statement is the transaction (one round trip for the batch).
  if (isPostgres && maxLive === null) return outcomesOf(fresh, null, await insertPostgres(db, fresh));
  return db.transaction().execute(async (trx) => {
    const placesLeft = maxLive === null ? null : await lockAndCountPlaces(trx, fresh, maxLive);
    const admitted = fresh.map(({ record }) => {
      if (placesLeft === null) return true;
      const left = placesLeft.get(record.vault_id) ?? 0;
      placesLeft.set(record.vault_id, left - 1);
      return left > 0;
    });
    const candidates = fresh.filter((_, index) => admitted[index]);
    const stored = isPostgres ? await insertPostgres(trx, candidates) : await insertSqlite(trx, candidates);
    return outcomesOf(fresh, admitted, stored);
  });
}

/**
 * Creates one intent from its INTENT_RECEIVED payload: the batch of one (on PostgreSQL one statement). Returns
 * null when a live intent with the same (vault, action, config_hash) already exists: the partial unique index
 * decided, not a prior read, so concurrent identical submits create exactly one.
 */
export async function insertIntent(
  db: Kysely<Database>,
  payload: ReceivedPayload,
  at: Date,
  id?: string,
): Promise<Committed | null> {
  const [outcome] = await insertIntentBatch(db, [{ payload, at, id }], null);
  if (outcome === undefined) throw new Error("intent batch: an outcome is missing");
  return typeof outcome === "object" ? outcome : null;
}

type Fresh = ReturnType<typeof newIntent>;

/** Each request's outcome from what was stored (by intent id); `admitted` null: every one was. */
function outcomesOf(
  fresh: readonly Fresh[],
  admitted: readonly boolean[] | null,
  stored: ReadonlyMap<string, Committed>,
): BatchOutcome[] {
  const isAdmitted = (index: number) => admitted === null || admitted[index] === true;
  // A place counted for a duplicate was not taken: an intent refused only for want of it may ask again.
  const duplicatesPerVault = new Map<string, number>();
  fresh.forEach(({ record }, index) => {
    if (isAdmitted(index) && !stored.has(record.id)) {
      duplicatesPerVault.set(record.vault_id, (duplicatesPerVault.get(record.vault_id) ?? 0) + 1);
    }
  });
  return fresh.map(({ record }, index): BatchOutcome => {
    const committed = stored.get(record.id);
    if (committed !== undefined) return committed;
    if (isAdmitted(index)) return "duplicate";
    return (duplicatesPerVault.get(record.vault_id) ?? 0) > 0 ? "retry" : "full";
  });
}

/** SQLite, in the caller's transaction: one multi-row insert, one position range, one events insert. */
async function insertSqlite(trx: Tx, candidates: readonly Fresh[]): Promise<Map<string, Committed>> {
  const stored = new Map<string, Committed>();
  if (candidates.length === 0) return stored;
  const returned = await trx
    .insertInto("intents")
    .values(candidates.map(({ intentRow }) => intentRow))
    .onConflict((oc) => oc.doNothing())
    .returning("id")
    .execute();
  const inserted = new Set(returned.map((row) => row.id));
  const created = candidates.filter(({ record }) => inserted.has(record.id));
  if (created.length === 0) return stored;
  const first = await allocatePositions(trx, created.length);
  // Each event is the first of its own intent's chain (GENESIS before it); the positions follow the batch.
  const positioned = created.flatMap(({ event }, index) =>
    hashEvents(GENESIS_HASH, [{ ...event, position: first + index }]),
  );
  await trx
    .insertInto("intent_events")
    .values(positioned.map((event) => ({ ...event, payload: JSON.stringify(event.payload) })))
    .execute();
  created.forEach(({ record }, index) => {
    stored.set(record.id, { record, events: positioned.slice(index, index + 1) });
  });
  return stored;
}

/**
 * PostgreSQL: the batch in ONE statement (a data-modifying CTE is atomic on its own). The rows travel as two JSON
 * parameters, so the text is the same for every batch size: `target` inserts the intents (a live duplicate is
 * skipped by ON CONFLICT DO NOTHING), `pos` then takes one position per inserted intent (`takePositions`: the
 * counter stays the last lock, and announces it), and each inserted intent's first event gets the next
 * position in the batch's order and its hash (GENESIS linked to its JS digest, `linkDigestSql`).
 */
async function insertPostgres(
  db: Kysely<Database> | Tx,
  candidates: readonly Fresh[],
): Promise<Map<string, Committed>> {
  const stored = new Map<string, Committed>();
  const [sample] = candidates;
  if (sample === undefined) return stored;
  const columns = Object.keys(sample.intentRow).map((column) => sql.ref(column));
  const events = candidates.map(({ event }, ord) => ({ ord, ...eventJsonRow(event) }));
  const position = sql<number>`(pos.last - (numbered.n - numbered.rn))`;
  const { rows } = await sql<{ intent_id: string; position: string | number; hash: string }>`
    with target as (
      insert into intents (${sql.join(columns)})
      select ${sql.join(columns)} from json_populate_recordset(null::intents, ${JSON.stringify(candidates.map(({ intentRow }) => intentRow))}::json)
      on conflict do nothing
      returning id
    ),
    pos as (${takePositions(db, sql<number>`(select count(*) from target)`)}),
    numbered as (
      select v.*, row_number() over (order by v.ord) as rn, count(*) over () as n
      from json_to_recordset(${JSON.stringify(events)}::json) as v(
        ord integer, event_id text, intent_id text, execution_id text, message_type text, seq_num integer,
        payload text, created_at text, digest text
      )
      join target on target.id = v.intent_id
    )
    insert into intent_events (event_id, intent_id, execution_id, message_type, seq_num, payload, created_at, position, hash)
    select event_id, intent_id, execution_id, message_type, seq_num, payload, created_at, ${position},
      ${linkDigestSql(sql<string>`${GENESIS_HASH}::text`, sql<string>`numbered.digest`, position)}
    from numbered cross join pos
    returning intent_id, position, hash`.execute(db);
  const byIntent = new Map(candidates.map((candidate) => [candidate.record.id, candidate]));
  for (const row of rows) {
    const candidate = byIntent.get(row.intent_id);
    if (candidate === undefined) throw new Error(`intent batch: an unknown intent ${row.intent_id} came back`);
    stored.set(row.intent_id, {
      record: candidate.record,
      events: [{ ...candidate.event, position: Number(row.position), hash: row.hash }],
    });
  }
  return stored;
}

/** Locks the batch's vaults (PostgreSQL) and returns how many more live intents each may hold. */
async function lockAndCountPlaces(trx: Tx, fresh: readonly Fresh[], maxLive: number): Promise<Map<string, number>> {
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
