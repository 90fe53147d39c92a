import { type Kysely, type SelectQueryBuilder, sql } from "kysely";
import { type ListIntentsQuery, statesOfLegacyStatus } from "../../lib/defix";
import type { Dialect } from "./db";
import type { Database } from "./schema";

export type FacetKey = "state" | "action" | "vault_id" | "strategy_id";
export type Facets = Record<FacetKey, Record<string, number>>;
type Query = SelectQueryBuilder<Database, "intents", object>;

const FACET_KEYS: readonly FacetKey[] = ["state", "action", "vault_id", "strategy_id"];

/** No visible vaults: match nothing rather than build an empty IN list. */
export const sqlFalse = sql<boolean>`1 = 0`;

/** Filters that are not facet dimensions: visibility, time window, search. */
export function applyBaseFilters(query: Query, filters: ListIntentsQuery, visible: readonly string[] | "all"): Query {
  let q = query;
  if (visible !== "all") q = visible.length === 0 ? q.where(sqlFalse) : q.where("vault_id", "in", [...visible]);
  return applyWindowAndSearch(q, filters);
}

/**
 * For a page: the planner should walk the (created_at DESC, id DESC) index in page order and stop
 * after `limit`, instead of collecting every visible row by vault and sorting them. SQLite, lacking
 * statistics, picks the vault index for `IN`, so there the filter over several vaults is written so
 * no index can serve it. PostgreSQL is the opposite: it cannot estimate `vault_id || ''` (assumes
 * 0.5 % of rows match), so it seq-scans and sorts (6 ms at 10k intents vs 0.04 ms for the index
 * walk); a plain `IN` lets its statistics choose the index. A single vault keeps its own (vault_id,
 * created_at, id) index on both.
 */
export function applyPageVisibility(
  query: Query,
  filters: ListIntentsQuery,
  visible: readonly string[] | "all",
  dialect: Dialect = "sqlite",
): Query {
  let q = query;
  if (visible !== "all") {
    if (visible.length === 0) q = q.where(sqlFalse);
    else if (visible.length === 1 || filters.vault_id !== undefined || dialect === "postgres")
      q = q.where("vault_id", "in", [...visible]);
    else q = q.where(sql<string>`vault_id || ''`, "in", [...visible]);
  }
  return applyWindowAndSearch(q, filters);
}

function applyWindowAndSearch(query: Query, filters: ListIntentsQuery): Query {
  let q = query;
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

type Combo = Record<FacetKey, string | null>;

/** Whether a row with these facet values passes the facet filters, ignoring the one on `skip`. */
function matches(combo: Combo, filters: ListIntentsQuery, skip: FacetKey): boolean {
  if (skip !== "vault_id" && filters.vault_id !== undefined && combo.vault_id !== filters.vault_id) return false;
  if (skip !== "action" && filters.action !== undefined && combo.action !== filters.action) return false;
  if (skip !== "strategy_id" && filters.strategy_id !== undefined && combo.strategy_id !== filters.strategy_id) {
    return false;
  }
  if (skip !== "state" && filters.state !== undefined) {
    const states: readonly string[] = Array.isArray(filters.state) ? filters.state : [filters.state];
    if (combo.state === null || !states.includes(combo.state)) return false;
  }
  if (skip !== "state" && filters.status !== undefined) {
    const statuses = Array.isArray(filters.status) ? filters.status : [filters.status];
    const states: readonly string[] = statuses.flatMap(statesOfLegacyStatus);
    if (combo.state === null || !states.includes(combo.state)) return false;
  }
  return true;
}

/** Counted combinations of the four dimensions among the visible intents. */
type CountedCombo = Combo & { count: number | string | bigint };

/**
 * From `intent_counts` (migration 011: a few rows per vault, kept by triggers in every write's
 * transaction) when nothing narrows the rows below whole dimensions; a time window or a search can,
 * so those group the matching intents themselves.
 */
function countCombos(
  db: Kysely<Database>,
  filters: ListIntentsQuery,
  visible: readonly string[] | "all",
): Promise<CountedCombo[]> {
  if (filters.from !== undefined || filters.to !== undefined || filters.q !== undefined) {
    return applyBaseFilters(db.selectFrom("intents"), filters, visible)
      .select((eb) => ["state", "action", "vault_id", "strategy_id", eb.fn.countAll().as("count")])
      .groupBy(["state", "action", "vault_id", "strategy_id"])
      .execute();
  }
  let counts = db
    .selectFrom("intent_counts")
    .select([
      "state",
      "action",
      "vault_id",
      sql<string | null>`nullif(strategy_id, '')`.as("strategy_id"),
      "n as count",
    ])
    .where("n", "<>", 0);
  if (visible !== "all")
    counts = visible.length === 0 ? counts.where(sqlFalse) : counts.where("vault_id", "in", [...visible]);
  return counts.execute();
}

/**
 * Counts per value of each dimension under every OTHER filter (so a chosen chip still shows its
 * siblings). The combinations of the four dimensions are few: each facet is summed from them in memory.
 */
export async function computeFacets(
  db: Kysely<Database>,
  filters: ListIntentsQuery,
  visible: readonly string[] | "all",
): Promise<Facets> {
  const rows = await countCombos(db, filters, visible);
  const facets: Facets = { state: {}, action: {}, vault_id: {}, strategy_id: {} };
  for (const row of rows) {
    const combo: Combo = { state: row.state, action: row.action, vault_id: row.vault_id, strategy_id: row.strategy_id };
    for (const key of FACET_KEYS) {
      const value = combo[key];
      if (value === null || !matches(combo, filters, key)) continue;
      facets[key][value] = (facets[key][value] ?? 0) + Number(row.count);
    }
  }
  return facets;
}

export interface FacetCache {
  get(db: Kysely<Database>, filters: ListIntentsQuery, visible: readonly string[] | "all"): Promise<Facets>;
  /** Something committed: counts computed before now are stale. */
  invalidate(): void;
}

/**
 * Short-lived memo of facet counts keyed by (visible vaults, filters). Commits in this process
 * invalidate it at once; the TTL bounds how stale counts can be after another process's commits.
 */
export function createFacetCache(
  options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {},
): FacetCache {
  const ttlMs = options.ttlMs ?? 2_000;
  const maxEntries = options.maxEntries ?? 256;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { facets: Promise<Facets>; at: number; generation: number }>();
  let generation = 0;
  return {
    get(db, filters, visible) {
      const { cursor: _c, limit: _l, ...rest } = filters;
      const key = JSON.stringify([visible === "all" ? "all" : [...visible].sort(), rest]);
      const hit = entries.get(key);
      if (hit !== undefined && hit.generation === generation && now() - hit.at < ttlMs) return hit.facets;
      const entry = { facets: computeFacets(db, filters, visible), at: now(), generation };
      entries.delete(key);
      entries.set(key, entry);
      if (entries.size > maxEntries) {
        const oldest = entries.keys().next();
        if (oldest.done !== true) entries.delete(oldest.value);
      }
      // A failed query must not be served again.
      entry.facets.catch(() => {
        if (entries.get(key) === entry) entries.delete(key);
      });
      return entry.facets;
    },
    invalidate() {
      generation++;
    },
  };
}
