import { type Kysely, type SelectQueryBuilder, sql } from "kysely";
import type { ListIntentsQuery } from "../../lib/defix";
import type { IntentRecord } from "../core/record";
import { DomainError } from "../errors";
import { rowToRecord } from "./rows";
import type { Database } from "./schema";

type Query = SelectQueryBuilder<Database, "intents", object>;
type FacetKey = "state" | "action" | "vault_id" | "strategy_id";

export interface ListedIntents {
  data: IntentRecord[];
  next_cursor: string | null;
  facets: Record<FacetKey, Record<string, number>>;
}

/** Cursor = the last row's (created_at, id): keyset pagination stays stable while rows are inserted. */
const encodeCursor = (row: { created_at: string; id: string }) =>
  Buffer.from(`${row.created_at}|${row.id}`).toString("base64url");

function decodeCursor(cursor: string): { created_at: string; id: string } {
  const [createdAt, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  if (createdAt === undefined || id === undefined || Number.isNaN(Date.parse(createdAt))) {
    throw new DomainError("BAD_REQUEST", 400, "cursor is not one this API returned");
  }
  return { created_at: createdAt, id };
}

function applyFilters(
  query: Query,
  filters: ListIntentsQuery,
  visible: readonly string[] | "all",
  skip?: FacetKey,
): Query {
  let q = query;
  if (visible !== "all") q = visible.length === 0 ? q.where(sqlFalse) : q.where("vault_id", "in", [...visible]);
  if (filters.vault_id !== undefined && skip !== "vault_id") q = q.where("vault_id", "=", filters.vault_id);
  if (filters.state !== undefined && skip !== "state") {
    const states = Array.isArray(filters.state) ? filters.state : [filters.state];
    q = q.where("state", "in", states);
  }
  if (filters.action !== undefined && skip !== "action") q = q.where("action", "=", filters.action);
  if (filters.strategy_id !== undefined && skip !== "strategy_id") q = q.where("strategy_id", "=", filters.strategy_id);
  if (filters.from !== undefined) q = q.where("created_at", ">=", new Date(filters.from).toISOString());
  if (filters.to !== undefined) q = q.where("created_at", "<", new Date(filters.to).toISOString());
  if (filters.q !== undefined) {
    const needle = filters.q.toLowerCase();
    q = q.where((eb) =>
      eb.or([eb("id", "=", needle), eb("tx_hash", "=", needle), eb("strategy_id", "=", filters.q ?? "")]),
    );
  }
  return q;
}

/** No visible vaults: match nothing rather than build an empty IN list. */
const sqlFalse = sql<boolean>`1 = 0`;

export async function listIntents(
  db: Kysely<Database>,
  filters: ListIntentsQuery,
  visible: readonly string[] | "all",
): Promise<ListedIntents> {
  let page = applyFilters(db.selectFrom("intents"), filters, visible);
  if (filters.cursor !== undefined) {
    const after = decodeCursor(filters.cursor);
    page = page.where((eb) =>
      eb.or([
        eb("created_at", "<", after.created_at),
        eb.and([eb("created_at", "=", after.created_at), eb("id", "<", after.id)]),
      ]),
    );
  }
  const rows = await page
    .selectAll()
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(filters.limit + 1)
    .execute();
  const hasMore = rows.length > filters.limit;
  const pageRows = rows.slice(0, filters.limit);
  const last = pageRows.at(-1);
  const keys: FacetKey[] = ["state", "action", "vault_id", "strategy_id"];
  const facetEntries = await Promise.all(
    keys.map(async (key) => [key, await facet(db, filters, visible, key)] as const),
  );
  return {
    data: pageRows.map(rowToRecord),
    next_cursor: hasMore && last !== undefined ? encodeCursor(last) : null,
    facets: Object.fromEntries(facetEntries) as Record<FacetKey, Record<string, number>>,
  };
}

/** Counts per value of one dimension under every other filter (so a chosen chip still shows its siblings). */
async function facet(
  db: Kysely<Database>,
  filters: ListIntentsQuery,
  visible: readonly string[] | "all",
  key: FacetKey,
): Promise<Record<string, number>> {
  const rows = await applyFilters(db.selectFrom("intents"), filters, visible, key)
    .select((eb) => [eb.ref(key).as("value"), eb.fn.countAll().as("count")])
    .groupBy(key)
    .execute();
  const counts: Record<string, number> = {};
  for (const row of rows) if (row.value !== null) counts[row.value] = Number(row.count);
  return counts;
}
