import { infiniteQueryOptions } from "@tanstack/react-query";
import type { IntentList, IntentState } from "@/lib/defix/intents";
import { INTENT_STATES, TERMINAL_STATES } from "@/lib/defix/states";
import { fetchJson, queryString } from "./fetcher";
import { type IntentFilters, normalizeFilters, toListParams } from "./intent-filters";
import { queryKeys } from "./keys";

// The intent history's list. One intent's page reads `intent-detail.ts`, so that page loads no list code.

export const PAGE_SIZE = 100;

export function fetchIntentPage(filters: IntentFilters, cursor: string | null, limit: number, signal?: AbortSignal) {
  const params = { ...toListParams(filters, Date.now()), cursor: cursor ?? undefined, limit: String(limit) };
  return fetchJson<IntentList>(`/api/oms/intents${queryString(params)}`, { signal });
}

// GET /api/oms/intents – newest first, cursor pages; the virtualized table asks for the next page.
export function intentListOptions(filters: IntentFilters) {
  const normalized = normalizeFilters(filters);
  return infiniteQueryOptions({
    queryKey: queryKeys.intents.list(normalized),
    queryFn: ({ pageParam, signal }) => fetchIntentPage(normalized, pageParam, PAGE_SIZE, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
    // Live updates patch the cache in place; a refetch of many loaded pages is never needed.
    staleTime: Number.POSITIVE_INFINITY,
    // The live patches (live-cache.ts) keep each unchanged row's object, by id. React Query's structural sharing
    // compares by position instead: after a row arrives on top, every row below was compared with the one that used
    // to be in its place and came out as a new, equal object, and every row in view rendered again.
    structuralSharing: false,
  });
}

export const IN_FLIGHT_STATES: readonly IntentState[] = INTENT_STATES.filter(
  (state) => !TERMINAL_STATES.includes(state),
);
