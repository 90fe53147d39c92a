import { type Kysely, type RawBuilder, sql } from "kysely";
import type { Database, FillsTable } from "./schema";

/** A change to one attempt's row: the columns given change, the others keep their values. */
export interface AttemptChange {
  tx_hash: string;
  status: string;
  updated_at: string;
  broadcast_block?: number;
  gas_used?: number;
  effective_gas_price?: string;
  mined_block?: number;
  mined_at?: string;
  bundle_tx_hash?: string;
  actual_gas_cost?: string;
}

/**
 * Writes to other tables that belong to a step, carried as data rather than as a function: PostgreSQL makes them
 * part of the append's single statement (guarded with it), so the transaction that takes the positions counter's
 * lock never waits on this process between that lock and its commit (positions.ts). Elsewhere they run in the
 * append's transaction, before it.
 */
export interface RowWrites {
  attempts: readonly AttemptChange[];
  fills: readonly FillsTable[];
}

export const NO_ROW_WRITES: RowWrites = { attempts: [], fills: [] };

/**
 * Several steps' writes as one, in step order. Changes to one attempt fold into one (a later step's columns win):
 * PostgreSQL's UPDATE … FROM changes a row once even when several source rows match it.
 */
export function mergeRowWrites(list: readonly (RowWrites | undefined)[]): RowWrites {
  const present = list.filter((rows): rows is RowWrites => rows !== undefined);
  if (present.length === 0) return NO_ROW_WRITES;
  const attempts = new Map<string, AttemptChange>();
  for (const change of present.flatMap((rows) => rows.attempts)) {
    attempts.set(change.tx_hash, { ...attempts.get(change.tx_hash), ...change });
  }
  return { attempts: [...attempts.values()], fills: present.flatMap((rows) => rows.fills) };
}

export const hasRowWrites = (rows: RowWrites) => rows.attempts.length > 0 || rows.fills.length > 0;

/** Inside the caller's transaction, in order: each attempt's change, then the fills. */
export async function applyRowWrites(trx: Kysely<Database>, rows: RowWrites): Promise<void> {
  for (const { tx_hash, ...change } of rows.attempts) {
    await trx.updateTable("tx_attempts").set(change).where("tx_hash", "=", tx_hash).execute();
  }
  if (rows.fills.length > 0)
    await trx
      .insertInto("fills")
      .values([...rows.fills])
      .execute();
}

/**
 * PostgreSQL, as CTEs of the append's statement: the attempts' changes (one UPDATE over the list) and the fills (one
 * INSERT), each only when the CTE `target` (the guarded projection update; in a statement of several intents, that
 * intent's guard) returned the intent's row.
 */
export function attemptChangesSql(
  attempts: readonly AttemptChange[],
  target = "target",
): RawBuilder<{ tx_hash: string }> {
  // Column names from this file only: a column the change leaves out keeps its value.
  const kept = (column: string) => sql.raw(`coalesce(v.${column}, t.${column})`);
  // Kysely writes a raw CTE as given: the parentheses are ours.
  return sql<{ tx_hash: string }>`(update tx_attempts as t set
      status = v.status,
      updated_at = v.updated_at,
      broadcast_block = ${kept("broadcast_block")},
      gas_used = ${kept("gas_used")},
      effective_gas_price = ${kept("effective_gas_price")},
      mined_block = ${kept("mined_block")},
      mined_at = ${kept("mined_at")},
      bundle_tx_hash = ${kept("bundle_tx_hash")},
      actual_gas_cost = ${kept("actual_gas_cost")}
    from jsonb_to_recordset(${JSON.stringify(attempts)}::jsonb) as v(
      tx_hash text, status text, updated_at text, broadcast_block integer, gas_used integer,
      effective_gas_price text, mined_block integer, mined_at text, bundle_tx_hash text, actual_gas_cost text)
    where t.tx_hash = v.tx_hash and exists (select 1 from ${sql.table(target)})
    returning t.tx_hash)`;
}

export function fillsInsertSql(fills: readonly FillsTable[], target = "target"): RawBuilder<{ fill_id: string }> {
  return sql<{ fill_id: string }>`(insert into fills
    select * from jsonb_populate_recordset(null::fills, ${JSON.stringify(fills)}::jsonb)
    where exists (select 1 from ${sql.table(target)})
    returning fill_id)`;
}
