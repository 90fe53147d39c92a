import type { Intent, IntentList } from "@/lib/defix/intents";
import { type FacetDimension, type IntentFilters, matchesFilters } from "@/lib/query/intent-filters";

type Facets = IntentList["facets"];

/** The list's order (the OMS's too): newest first, ties by id. */
export function newestFirst(a: Intent, b: Intent): number {
  return b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id);
}

/** One row as the cache knew it (null: new to it) and as it is now (counted or not as the filters say). */
export interface RowChange {
  before: Intent | null;
  after: Intent;
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

/**
 * The OMS's counts for a view, brought up to the rows the cache holds now. `since` are the row changes the cache
 * applied after the request for `answer` left: the OMS read may have come before any of them (a page asked for just
 * before an intent committed, answered after the stream already showed it). A change the answer does not show moves
 * its counts, as it moved the cache's: the answer's own copy of the row says what it counted (an older `seq_num` than
 * the cache's), and a row new since the request that is absent where the answer's page would have listed it was not
 * counted. A change it cannot tell about (a row outside the page) is taken as counted; the next refresh settles it.
 */
export function rebaseFacets(
  answer: IntentList,
  since: readonly RowChange[],
  filters: IntentFilters,
  now: number,
): Facets {
  if (since.length === 0) return answer.facets;
  const net = new Map<string, RowChange>();
  for (const change of since) {
    const earlier = net.get(change.after.id);
    net.set(change.after.id, { before: earlier ? earlier.before : change.before, after: change.after });
  }
  const listed = new Map(answer.data.map((intent) => [intent.id, intent]));
  const last = answer.data.at(-1);
  const unseen: RowChange[] = [];
  for (const [id, { before, after }] of net) {
    const counted = listed.get(id);
    if (counted) {
      if (counted.seq_num < after.seq_num) unseen.push({ before: counted, after });
      continue;
    }
    const wouldBeListed =
      matchesFilters(after, filters, now) &&
      (answer.next_cursor === null || last === undefined || newestFirst(after, last) < 0);
    if (before === null && wouldBeListed) unseen.push({ before: null, after });
  }
  return patchFacets(answer.facets, unseen, filters, now);
}
