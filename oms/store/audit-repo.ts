import type { Kysely } from "kysely";
import type { AuditViewFilter } from "../../lib/defix/audit";
import { GENESIS_HASH } from "../../lib/defix/audit-chain";
import type { ProofEvent } from "../../lib/defix/audit-proof";
import { dialectOf } from "./db";
import { applyFilters } from "./list-repo";
import type { Database } from "./schema";

/** Reads for the audit export (core/audit-export.ts): one vault's range, page by page, in a stable order. */

const PAGE = 500;

export interface AuditRangeQuery {
  vaultId: string;
  /** Records written in [from, to); with `view`, the window of the intents' creation instead. */
  from: string;
  to: string;
  intentIds: string[] | null;
  /** scope=view: the history's filters; every record of the intents they select, whatever its time. */
  view: AuditViewFilter | null;
}

/** The ids of the vault's intents the view selects (the history's own filter code, store/list-repo.ts). */
function viewIntentIds(db: Kysely<Database>, range: AuditRangeQuery, view: AuditViewFilter) {
  const filters = { ...view, vault_id: range.vaultId, from: range.from, to: range.to, limit: 1 };
  return applyFilters(db.selectFrom("intents"), filters, [range.vaultId], dialectOf(db)).select("intents.id");
}

export interface AuditEventData extends Record<string, unknown> {
  intent_id: string;
  seq_num: number;
  hash: string;
}

/** The range's events by position, each with the hash it links to (`prev_hash`). */
export async function* auditEvents(db: Kysely<Database>, range: AuditRangeQuery): AsyncGenerator<AuditEventData> {
  const last = new Map<string, string>();
  let after = 0;
  for (;;) {
    let query = db
      .selectFrom("intent_events")
      .innerJoin("intents", "intents.id", "intent_events.intent_id")
      .selectAll("intent_events")
      .where("intents.vault_id", "=", range.vaultId)
      .where("intent_events.position", ">", after)
      .orderBy("intent_events.position")
      .limit(PAGE);
    if (range.view !== null) query = query.where("intent_events.intent_id", "in", viewIntentIds(db, range, range.view));
    else
      query = query
        .where("intent_events.created_at", ">=", range.from)
        .where("intent_events.created_at", "<", range.to);
    if (range.intentIds !== null) query = query.where("intent_events.intent_id", "in", range.intentIds);
    const rows = await query.execute();
    for (const row of rows) {
      const prev = last.get(row.intent_id) ?? (await previousOf(db, row.intent_id, row.seq_num));
      const hash = row.hash ?? "";
      last.set(row.intent_id, hash);
      const { payload, position, ...rest } = row;
      yield { ...rest, payload: JSON.parse(payload) as unknown, position: Number(position), hash, prev_hash: prev };
    }
    const tail = rows.at(-1);
    if (tail === undefined || rows.length < PAGE) return;
    after = Number(tail.position);
  }
}

async function previousOf(db: Kysely<Database>, intentId: string, seq: number): Promise<string> {
  if (seq === 1) return GENESIS_HASH;
  const row = await db
    .selectFrom("intent_events")
    .select("hash")
    .where("intent_id", "=", intentId)
    .where("seq_num", "=", seq - 1)
    .executeTakeFirst();
  return row?.hash ?? GENESIS_HASH;
}

type Keyed = { created_at: string };

/** Pages a table of the vault's intents by (created_at, key) within the range. */
async function* paged<T extends Keyed>(
  read: (after: { at: string; key: string } | null) => Promise<T[]>,
  keyOf: (row: T) => string,
): AsyncGenerator<T> {
  let after: { at: string; key: string } | null = null;
  for (;;) {
    const rows = await read(after);
    yield* rows;
    const tail = rows.at(-1);
    if (tail === undefined || rows.length < PAGE) return;
    after = { at: tail.created_at, key: keyOf(tail) };
  }
}

export function auditFills(db: Kysely<Database>, range: AuditRangeQuery) {
  return paged(
    async (after) => {
      let query = db
        .selectFrom("fills")
        .innerJoin("intents", "intents.id", "fills.intent_id")
        .selectAll("fills")
        .where("intents.vault_id", "=", range.vaultId)
        .orderBy("fills.created_at")
        .orderBy("fills.fill_id")
        .limit(PAGE);
      if (range.view !== null) query = query.where("fills.intent_id", "in", viewIntentIds(db, range, range.view));
      else query = query.where("fills.created_at", ">=", range.from).where("fills.created_at", "<", range.to);
      if (range.intentIds !== null) query = query.where("fills.intent_id", "in", range.intentIds);
      if (after !== null) {
        const { at, key } = after;
        query = query.where((eb) =>
          eb.or([
            eb("fills.created_at", ">", at),
            eb.and([eb("fills.created_at", "=", at), eb("fills.fill_id", ">", key)]),
          ]),
        );
      }
      return query.execute();
    },
    (row) => row.fill_id,
  );
}

/** Attempts without their raw signed transaction (an unbroadcast one must not leave the OMS). */
export function auditAttempts(db: Kysely<Database>, range: AuditRangeQuery) {
  return paged(
    async (after) => {
      let query = db
        .selectFrom("tx_attempts")
        .innerJoin("intents", "intents.id", "tx_attempts.intent_id")
        .select([
          "tx_attempts.tx_hash",
          "tx_attempts.intent_id",
          "tx_attempts.execution_id",
          "tx_attempts.chain_id",
          "tx_attempts.signer",
          "tx_attempts.nonce",
          "tx_attempts.max_fee_per_gas",
          "tx_attempts.max_priority_fee_per_gas",
          "tx_attempts.status",
          "tx_attempts.broadcast_block",
          "tx_attempts.gas_used",
          "tx_attempts.effective_gas_price",
          "tx_attempts.mined_block",
          "tx_attempts.mined_at",
          "tx_attempts.created_at",
          "tx_attempts.updated_at",
        ])
        .where("intents.vault_id", "=", range.vaultId)
        .orderBy("tx_attempts.created_at")
        .orderBy("tx_attempts.tx_hash")
        .limit(PAGE);
      if (range.view !== null) query = query.where("tx_attempts.intent_id", "in", viewIntentIds(db, range, range.view));
      else
        query = query.where("tx_attempts.created_at", ">=", range.from).where("tx_attempts.created_at", "<", range.to);
      if (range.intentIds !== null) query = query.where("tx_attempts.intent_id", "in", range.intentIds);
      if (after !== null) {
        const { at, key } = after;
        query = query.where((eb) =>
          eb.or([
            eb("tx_attempts.created_at", ">", at),
            eb.and([eb("tx_attempts.created_at", "=", at), eb("tx_attempts.tx_hash", ">", key)]),
          ]),
        );
      }
      return query.execute();
    },
    (row) => row.tx_hash,
  );
}

/** One intent's whole chain in seq order, each event with the hash it links to (an intent proof). */
export async function intentChain(db: Kysely<Database>, intentId: string): Promise<ProofEvent[]> {
  const rows = await db
    .selectFrom("intent_events")
    .selectAll()
    .where("intent_id", "=", intentId)
    .orderBy("seq_num")
    .execute();
  let prev = GENESIS_HASH;
  return rows.map((row) => {
    const event = {
      event_id: row.event_id,
      intent_id: row.intent_id,
      execution_id: row.execution_id,
      message_type: row.message_type,
      seq_num: Number(row.seq_num),
      payload: JSON.parse(row.payload) as unknown,
      created_at: row.created_at,
      position: Number(row.position),
      prev_hash: prev,
      hash: row.hash ?? "",
    };
    prev = event.hash;
    return event;
  });
}

export async function intentVault(db: Kysely<Database>, intentId: string): Promise<string | undefined> {
  const row = await db.selectFrom("intents").select("vault_id").where("id", "=", intentId).executeTakeFirst();
  return row?.vault_id;
}
