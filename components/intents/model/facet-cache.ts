import type { Intent, IntentList } from "@/lib/defix/intents";
import { type FacetDimension, type IntentFilters, matchesFilters } from "@/lib/query/intent-filters";

type Facets = IntentList["facets"];

/** One row as the cache knew it and as it is now; null for "not counted" (new, or gone). */
export interface RowChange {
  before: Intent | null;
  after: Intent | null;
}

const DIMENSIONS: readonly FacetDimension[] = ["state", "action", "vault_id", "strategy_id"];

/** The value a row is counted under in one dimension, when the OMS would count it there at all. */
function countedUnder(intent: Intent | null, dimension: FacetDimension, filters: IntentFilters, now: number) {
  if (!intent || !matchesFilters(intent, filters, now, dimension)) return null;
  return intent[dimension];
}

function add(counts: Record<string, number>, value: string, delta: number): void {
  const next = (counts[value] ?? 0) + delta;
  if (next > 0) counts[value] = next;
  else delete counts[value];
}

/**
 * Moves facet counts with the rows the cache just changed, in the same write, so a count never
 * lags the rows it counts ("26 of 25 shown"). Each dimension is counted like the OMS counts it:
 * under every filter but its own. The next facet refresh from the OMS is the authority.
 */
export function patchFacets(
  facets: Facets,
  changes: readonly RowChange[],
  filters: IntentFilters,
  now: number,
): Facets {
  let next: Facets | null = null;
  for (const { before, after } of changes) {
    for (const dimension of DIMENSIONS) {
      const from = countedUnder(before, dimension, filters, now);
      const to = countedUnder(after, dimension, filters, now);
      if (from === to) continue;
      next ??= {
        state: { ...facets.state },
        action: { ...facets.action },
        vault_id: { ...facets.vault_id },
        strategy_id: { ...facets.strategy_id },
      };
      if (from !== null) add(next[dimension], from, -1);
      if (to !== null) add(next[dimension], to, 1);
    }
  }
  return next ?? facets;
}
