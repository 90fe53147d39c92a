import { CompiledQuery } from "kysely";
import type { ListIntentsQuery } from "../../lib/defix";
import type { Db } from "../../oms/store/db";
import { applyFilters } from "../../oms/store/list-repo";
import { INTENT_COLUMNS } from "../../oms/store/rows";

/**
 * The plan each dialect picks for the first page's own query (the list's filter code, 51 rows newest first),
 * in one line: SQLite's EXPLAIN QUERY PLAN steps; PostgreSQL's EXPLAIN ANALYZE nodes and execution time.
 */
export async function pagePlan(handle: Db, filters: ListIntentsQuery, visible: readonly string[]): Promise<string> {
  const page = applyFilters(handle.db.selectFrom("intents"), filters, visible, handle.dialect)
    .select(INTENT_COLUMNS)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(filters.limit + 1)
    .compile();
  const prefix =
    handle.dialect === "postgres" ? "explain (analyze, costs off, timing off, summary on) " : "explain query plan ";
  const result = await handle.db.executeQuery<Record<string, string>>(
    CompiledQuery.raw(`${prefix}${page.sql}`, [...page.parameters]),
  );
  const lines = result.rows.map((row) => String(row.detail ?? row["QUERY PLAN"] ?? "").trim());
  const kept = lines.filter(
    (line) => !/^(Filter|Rows Removed|Index Cond|Recheck Cond|Heap Blocks|Planning|Sort Key|Sort Method)/.test(line),
  );
  return kept.join("; ");
}
