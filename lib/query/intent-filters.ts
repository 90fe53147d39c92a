import type { ApprovalStatus } from "@/lib/defix/authorization";
import type { Intent, IntentAction, IntentState } from "@/lib/defix/intents";

export const TIME_RANGES = ["1h", "24h", "7d", "30d"] as const;
export type TimeRange = (typeof TIME_RANGES)[number];

const RANGE_MS: Record<TimeRange, number> = {
  "1h": 3_600_000,
  "24h": 86_400_000,
  "7d": 7 * 86_400_000,
  "30d": 30 * 86_400_000,
};

/** The history's filters, exactly as they live in the URL (and in query keys). */
export interface IntentFilters {
  vault_id?: string | null;
  state?: readonly IntentState[] | null;
  action?: IntentAction | null;
  strategy_id?: string | null;
  /** Where the intent's quorum stands (issue 15). */
  approval_status?: ApprovalStatus | null;
  range?: TimeRange | null;
  /** A custom window (ISO instants, either end optional); ignored while a preset `range` is set. */
  from?: string | null;
  to?: string | null;
  q?: string | null;
}

/** An ISO instant, or null for anything that does not parse as a date (a hand-edited URL). */
function instant(value: string | null | undefined): string | null {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

/** Drops empty values so `{}` and `{state: []}` share one cache entry. */
export function normalizeFilters(filters: IntentFilters): IntentFilters {
  const normalized: IntentFilters = {};
  if (filters.vault_id) normalized.vault_id = filters.vault_id;
  if (filters.state && filters.state.length > 0) normalized.state = [...filters.state].sort();
  if (filters.action) normalized.action = filters.action;
  if (filters.strategy_id) normalized.strategy_id = filters.strategy_id;
  if (filters.approval_status) normalized.approval_status = filters.approval_status;
  if (filters.range) normalized.range = filters.range;
  else {
    const from = instant(filters.from);
    const to = instant(filters.to);
    if (from) normalized.from = from;
    if (to) normalized.to = to;
  }
  const q = filters.q?.trim();
  if (q) normalized.q = q;
  return normalized;
}

export function rangeStart(range: TimeRange, now: number): string {
  return new Date(now - RANGE_MS[range]).toISOString();
}

/** The BFF/OMS list query (ListIntentsQuery) for a filter set. */
export function toListParams(
  filters: IntentFilters,
  now: number,
): Record<string, string | readonly string[] | undefined> {
  return {
    vault_id: filters.vault_id ?? undefined,
    state: filters.state ?? undefined,
    action: filters.action ?? undefined,
    strategy_id: filters.strategy_id ?? undefined,
    approval_status: filters.approval_status ?? undefined,
    from: filters.range ? rangeStart(filters.range, now) : (instant(filters.from) ?? undefined),
    to: filters.range ? undefined : (instant(filters.to) ?? undefined),
    q: filters.q?.trim() || undefined,
  };
}

/** The dimensions the OMS counts (`IntentList.facets`). */
export type FacetDimension = "state" | "action" | "vault_id" | "strategy_id";

/**
 * Whether a live-updated intent belongs in the currently filtered view. Mirrors the OMS's list
 * semantics closely enough for live inserts; the next refetch is the authority. With `skip`, the
 * filter on that dimension is ignored, as the OMS does when it counts that dimension's facet.
 */
export function matchesFilters(intent: Intent, filters: IntentFilters, now: number, skip?: FacetDimension): boolean {
  if (skip !== "vault_id" && filters.vault_id && intent.vault_id !== filters.vault_id.toLowerCase()) return false;
  if (skip !== "state" && filters.state && filters.state.length > 0 && !filters.state.includes(intent.state)) {
    return false;
  }
  if (skip !== "action" && filters.action && intent.action !== filters.action) return false;
  if (skip !== "strategy_id" && filters.strategy_id && intent.strategy_id !== filters.strategy_id) return false;
  if (filters.approval_status && intent.approval_status !== filters.approval_status) return false;
  const created = Date.parse(intent.created_at);
  if (filters.range && created < now - RANGE_MS[filters.range]) return false;
  const from = filters.range ? null : instant(filters.from);
  const to = filters.range ? null : instant(filters.to);
  if (from && created < Date.parse(from)) return false;
  if (to && created >= Date.parse(to)) return false;
  const q = filters.q?.trim().toLowerCase();
  if (q && !intent.id.toLowerCase().startsWith(q) && !(intent.tx_hash ?? "").startsWith(q)) return false;
  return true;
}

export function hasActiveFilters(filters: IntentFilters): boolean {
  return Object.keys(normalizeFilters(filters)).length > 0;
}
