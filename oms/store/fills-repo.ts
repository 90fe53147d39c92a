import type { Kysely } from "kysely";
import type { Fill } from "../../lib/defix";
import type { Tx } from "./intents-repo";
import type { Database, FillsTable } from "./schema";

export interface NewFill extends Omit<Fill, "fill_id"> {
  log_index: number;
}

export async function insertFills(trx: Tx, fills: readonly NewFill[], fillIds: readonly string[], at: Date) {
  if (fills.length === 0) return;
  await trx
    .insertInto("fills")
    .values(fillRows(fills, fillIds, at))
    .execute();
}

/** The fills' rows as stored (for `RowWrites`, or an insert). */
export function fillRows(fills: readonly NewFill[], fillIds: readonly string[], at: Date): FillsTable[] {
  return fills.map((fill, i) => ({
    fill_id: fillIds[i] ?? "",
    intent_id: fill.intent_id,
    tx_hash: fill.tx_hash,
    chain_id: fill.chain_id,
    log_index: fill.log_index,
    amount_in: fill.amount_in,
    amount_out: fill.amount_out,
    token_in: fill.token_in,
    token_out: fill.token_out,
    venue: fill.venue,
    gas_used: fill.gas_used,
    block_number: fill.block_number,
    mined_at: fill.mined_at,
    created_at: at.toISOString(),
  }));
}

export async function listFills(db: Kysely<Database>, intentId: string): Promise<Fill[]> {
  const rows = await db
    .selectFrom("fills")
    .selectAll()
    .where("intent_id", "=", intentId)
    .orderBy("block_number", "asc")
    .orderBy("log_index", "asc")
    .execute();
  return rows.map((row) => ({
    fill_id: row.fill_id,
    intent_id: row.intent_id,
    tx_hash: row.tx_hash as Fill["tx_hash"],
    chain_id: row.chain_id,
    amount_in: row.amount_in,
    amount_out: row.amount_out,
    token_in: row.token_in,
    token_out: row.token_out,
    venue: row.venue,
    gas_used: row.gas_used,
    block_number: row.block_number,
    mined_at: row.mined_at,
  }));
}
