import type { IntentEvent } from "@/lib/defix/events";
import type { Intent, IntentList } from "@/lib/defix/intents";
import { type IntentFilters, matchesFilters } from "@/lib/query/intent-filters";
import { newestFirst, patchFacets, type RowChange } from "./facet-cache";
import { type IntentPages, rowsOf } from "./pages";
import { intentFromReceived } from "./received-row";
import { applyEvent } from "./transitions";

export type { IntentPages, RowChange };

/** The cache after a write, and the rows it changed (what a facet answer read before the write does not show). */
export interface Upserted {
  data: IntentPages;
  changes: RowChange[];
}

/**
 * Whether a fetched copy replaces the row shown: a later one does, and one at the same `seq_num` does when it differs
 * (the OMS's copy carries derived fields the events do not). An equal copy (the fetch after an event the stream already
 * applied, in full) keeps the row's object, so its row does not render again for nothing.
 */
function replaces(incoming: Intent, existing: Intent): boolean {
  if (incoming === existing || incoming.seq_num < existing.seq_num) return false;
  return incoming.seq_num > existing.seq_num || !sameValue(incoming, existing);
}

/** Structural equality of JSON values, whatever the key order (rows built from events and fetched ones differ in it). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  if (aKeys.length !== Object.keys(b).length) return false;
  const aRecord = a as Record<string, unknown>;
  const bRecord = b as Record<string, unknown>;
  return aKeys.every((key) => Object.hasOwn(bRecord, key) && sameValue(aRecord[key], bRecord[key]));
}

/**
 * Merges fresh intent rows into the loaded pages: rows already shown are replaced when the copy is
 * at least as new (seq_num), rows that no longer match the filters leave, and new matching rows
 * join the first page in newest-first order. Pages keep their cursors, so paging on still works.
 * The first page's facet counts move in the same write, so counts and rows never disagree; the rows it changed are
 * named beside the new pages.
 */
export function upsertTracked(
  data: IntentPages,
  incoming: readonly Intent[],
  filters: IntentFilters,
  now: number,
): Upserted {
  if (incoming.length === 0) return { data, changes: [] };
  const byId = new Map(incoming.map((intent) => [intent.id, intent]));
  const seen = new Set<string>();
  const changes: RowChange[] = [];
  let isChanged = false;
  const pages = data.pages.map((page) => {
    const rows: Intent[] = [];
    let isPageChanged = false;
    for (const row of page.data) {
      const fresh = byId.get(row.id);
      if (!fresh) {
        rows.push(row);
        continue;
      }
      seen.add(row.id);
      if (!replaces(fresh, row)) {
        rows.push(row);
        continue;
      }
      changes.push({ before: row, after: fresh });
      isPageChanged = true;
      if (matchesFilters(fresh, filters, now)) rows.push(fresh);
    }
    if (!isPageChanged) return page;
    isChanged = true;
    return { ...page, data: rows };
  });
  // Only rows newer than the last loaded one are new to this view; older ones come with their page.
  const lastLoaded = pages.at(-1)?.data.at(-1);
  const hasMore = pages.at(-1)?.next_cursor !== null;
  const additions = incoming.filter(
    (intent) => !seen.has(intent.id) && (!hasMore || !lastLoaded || newestFirst(intent, lastLoaded) < 0),
  );
  for (const intent of additions) changes.push({ before: null, after: intent });
  const fitting = additions.filter((intent) => matchesFilters(intent, filters, now));
  const first = pages[0];
  if (!first) return { data, changes: [] };
  if (fitting.length > 0) {
    pages[0] = { ...first, data: [...fitting, ...first.data].sort(newestFirst) };
    isChanged = true;
  }
  const facets = patchFacets(first.facets, changes, filters, now);
  if (facets !== first.facets) {
    pages[0] = { ...(pages[0] ?? first), facets };
    isChanged = true;
  }
  return isChanged ? { data: { ...data, pages }, changes } : { data, changes: [] };
}

/** The OMS's latest counts for the view, written beside its rows. */
export function withFacets(data: IntentPages, facets: IntentList["facets"]): IntentPages {
  const [first, ...rest] = data.pages;
  return first ? { ...data, pages: [{ ...first, facets }, ...rest] } : data;
}

/**
 * Applies streamed events to rows already in the cache. An intent created after the list loaded joins
 * from its INTENT_RECEIVED event alone (no fetch before it shows); `unknownIds` names the few whose event
 * could not make a row, for the caller to fetch. Events of older intents outside the loaded window are
 * ignored: their page brings them when it is scrolled to.
 */
export function applyEventsToPages(
  data: IntentPages,
  events: readonly IntentEvent[],
  filters: IntentFilters,
  now: number,
): Upserted & { unknownIds: string[] } {
  const rows = new Map<string, Intent>();
  for (const page of data.pages) for (const row of page.data) rows.set(row.id, row);
  const updated = new Map<string, Intent>();
  const unknownIds = new Set<string>();
  for (const event of events) {
    const current = updated.get(event.intent_id) ?? rows.get(event.intent_id);
    if (!current) {
      if (event.message_type !== "INTENT_RECEIVED") continue;
      const received = intentFromReceived(event);
      if (received) updated.set(event.intent_id, received);
      else unknownIds.add(event.intent_id);
      continue;
    }
    updated.set(event.intent_id, applyEvent(current, event));
  }
  return { ...upsertTracked(data, [...updated.values()], filters, now), unknownIds: [...unknownIds] };
}

export { rowsOf };
