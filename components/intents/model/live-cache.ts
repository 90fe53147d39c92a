import type { InfiniteData } from "@tanstack/react-query";
import type { IntentEvent } from "@/lib/defix/events";
import type { Intent, IntentList } from "@/lib/defix/intents";
import { type IntentFilters, matchesFilters } from "@/lib/query/intent-filters";
import { applyEvent } from "./transitions";

export type IntentPages = InfiniteData<IntentList, unknown>;

function isNewer(incoming: Intent, existing: Intent): boolean {
  return incoming.seq_num >= existing.seq_num;
}

function newestFirst(a: Intent, b: Intent): number {
  return b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id);
}

/**
 * Merges fresh intent rows into the loaded pages: rows already shown are replaced when the copy is
 * at least as new (seq_num), rows that no longer match the filters leave, and new matching rows
 * join the first page in newest-first order. Pages keep their cursors, so paging on still works.
 */
export function upsertIntents(
  data: IntentPages,
  incoming: readonly Intent[],
  filters: IntentFilters,
  now: number,
): IntentPages {
  if (incoming.length === 0) return data;
  const byId = new Map(incoming.map((intent) => [intent.id, intent]));
  const seen = new Set<string>();
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
      if (!isNewer(fresh, row) || fresh === row) {
        rows.push(row);
      } else if (matchesFilters(fresh, filters, now)) {
        rows.push(fresh);
        isPageChanged = true;
      } else {
        isPageChanged = true;
      }
    }
    if (!isPageChanged) return page;
    isChanged = true;
    return { ...page, data: rows };
  });
  const additions = incoming.filter((intent) => !seen.has(intent.id) && matchesFilters(intent, filters, now));
  const first = pages[0];
  if (additions.length > 0 && first) {
    // Only rows newer than the last loaded one belong here; older ones come with their page.
    const lastLoaded = pages.at(-1)?.data.at(-1);
    const hasMore = pages.at(-1)?.next_cursor !== null;
    const fitting = additions.filter((intent) => !hasMore || !lastLoaded || newestFirst(intent, lastLoaded) < 0);
    if (fitting.length > 0) {
      pages[0] = { ...first, data: [...fitting, ...first.data].sort(newestFirst) };
      isChanged = true;
    }
  }
  return isChanged ? { ...data, pages } : data;
}

/**
 * Applies streamed events to rows already in the cache. Returns the ids of intents created after
 * the list loaded (their INTENT_RECEIVED arrived) that the cache does not hold yet; events of older
 * intents outside the loaded window are ignored: their page brings them when it is scrolled to.
 */
export function applyEventsToPages(
  data: IntentPages,
  events: readonly IntentEvent[],
  filters: IntentFilters,
  now: number,
): { data: IntentPages; unknownIds: string[] } {
  const rows = new Map<string, Intent>();
  for (const page of data.pages) for (const row of page.data) rows.set(row.id, row);
  const updated = new Map<string, Intent>();
  const unknownIds = new Set<string>();
  for (const event of events) {
    const current = updated.get(event.intent_id) ?? rows.get(event.intent_id);
    if (!current) {
      if (event.message_type === "INTENT_RECEIVED") unknownIds.add(event.intent_id);
      continue;
    }
    updated.set(event.intent_id, applyEvent(current, event));
  }
  return { data: upsertIntents(data, [...updated.values()], filters, now), unknownIds: [...unknownIds] };
}

export function rowsOf(data: IntentPages | undefined): Intent[] {
  return data ? data.pages.flatMap((page) => page.data) : [];
}
