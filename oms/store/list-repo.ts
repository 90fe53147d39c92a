import { CompiledQuery, type Kysely, type SelectQueryBuilder, sql } from "kysely";
import { type Intent, isTerminalStateName, type ListIntentsQuery, statesOfLegacyStatus } from "../../lib/defix";
import { ErrorCode } from "../../lib/defix/errors";
import { DomainError } from "../kernel/errors";
import { preparedSql } from "../kernel/prepared";
import { type Dialect, dialectOf } from "./db";
import { applyPageVisibility, computeFacets, type FacetCache, type Facets } from "./facets";
import { INTENT_COLUMNS, type IntentColumnsRow, rowToIntent } from "./rows";
import type { Database } from "./schema";

type Query = SelectQueryBuilder<Database, "intents", object>;

export interface ListedIntents {
  data: Intent[];
  next_cursor: string | null;
  /** Counted on the first page only (no cursor); later pages carry empty counts. */
  facets: Facets;
}

/** Cursor = the last row's (created_at, id): keyset pagination stays stable while rows are inserted. */
const encodeCursor = (row: { created_at: string; id: string }) =>
  Buffer.from(`${row.created_at}|${row.id}`).toString("base64url");

function decodeCursor(cursor: string): { created_at: string; id: string } {
  const [createdAt, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  if (createdAt === undefined || id === undefined || Number.isNaN(Date.parse(createdAt))) {
    throw new DomainError(ErrorCode.BAD_REQUEST, "cursor is not one this API returned");
  }
  return { created_at: createdAt, id };
}

/** The history's filters on an intents query (also the audit export's scope=view, store/audit-repo.ts). */
export function applyFilters(
  query: Query,
  filters: ListIntentsQuery,
  visible: readonly string[] | "all",
  dialect: Dialect,
): Query {
  let q = applyPageVisibility(query, filters, visible, dialect);
  if (filters.vault_id !== undefined) q = q.where("vault_id", "=", filters.vault_id);
  let isLiveOnly = false;
  if (filters.state !== undefined) {
    const states = Array.isArray(filters.state) ? filters.state : [filters.state];
    q = q.where("state", "in", states);
    isLiveOnly = states.every((state) => !isTerminalStateName(state));
  }
  if (filters.status !== undefined) {
    const statuses = Array.isArray(filters.status) ? filters.status : [filters.status];
    const states = statuses.flatMap(statesOfLegacyStatus);
    q = q.where("state", "in", states);
    isLiveOnly ||= states.every((state) => !isTerminalStateName(state));
  }
  // Said again as `active = 1` (what a live state means), so the planner may walk the small index of live
  // intents (intents_live_list, migration 011) instead of every intent for the few that match.
  if (isLiveOnly) q = q.where("active", "=", 1);
  if (filters.action !== undefined) q = q.where("action", "=", filters.action);
  if (filters.strategy_id !== undefined) q = q.where("strategy_id", "=", filters.strategy_id);
  if (filters.approval_status !== undefined) q = q.where("approval_status", "=", filters.approval_status);
  return q;
}

const NO_FACETS = (): Facets => ({ state: {}, action: {}, vault_id: {}, strategy_id: {} });

/** GET /defix/intents/{id}'s SQL per database handle, built once (a prepared statement on PostgreSQL). */
const byIdSql = new WeakMap<Kysely<Database>, string>();

function intentByIdSql(db: Kysely<Database>): string {
  let text = byIdSql.get(db);
  if (text === undefined) {
    const compiled = db.selectFrom("intents").select(INTENT_COLUMNS).where("id", "=", "").compile();
    text = preparedSql("intent_view_by_id", compiled.sql);
    byIdSql.set(db, text);
  }
  return text;
}

/** One intent in its wire shape, reading only the columns the answer has (GET /defix/intents/{id}). */
export async function getIntentView(db: Kysely<Database>, id: string): Promise<Intent | null> {
  const { rows } = await db.executeQuery(CompiledQuery.raw(intentByIdSql(db), [id]) as CompiledQuery<IntentColumnsRow>);
  const row = rows[0];
  return row === undefined ? null : rowToIntent(row);
}

/**
 * One page, newest first. Facet counts scan every matching row, so they are computed (or taken
 * from `facetCache`) only for the first page: the dashboard reads them from there, and a client
 * walking a cursor should not pay for them again on every page.
 */
export async function listIntents(
  db: Kysely<Database>,
  filters: ListIntentsQuery,
  visible: readonly string[] | "all",
  facetCache?: FacetCache,
): Promise<ListedIntents> {
  let page = applyFilters(db.selectFrom("intents"), filters, visible, dialectOf(db));
  if (filters.cursor !== undefined) {
    const after = decodeCursor(filters.cursor);
    // A row-value comparison (both dialects) lets the (created_at DESC, id DESC) index seek to the cursor.
    page = page.where(sql<boolean>`(created_at, id) < (${after.created_at}, ${after.id})`);
  }
  const facets =
    filters.cursor !== undefined
      ? Promise.resolve(NO_FACETS())
      : (facetCache?.get(db, filters, visible) ?? computeFacets(db, filters, visible));
  const [rows, counts] = await Promise.all([
    page
      .select(INTENT_COLUMNS)
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(filters.limit + 1)
      .execute(),
    facets,
  ]);
  const hasMore = rows.length > filters.limit;
  const pageRows = rows.slice(0, filters.limit);
  const last = pageRows.at(-1);
  return {
    data: pageRows.map(rowToIntent),
    next_cursor: hasMore && last !== undefined ? encodeCursor(last) : null,
    facets: counts,
  };
}
