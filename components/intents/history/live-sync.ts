import type { QueryClient } from "@tanstack/react-query";
import { type IntentEvent, IntentEvent as IntentEventSchema } from "@/lib/defix/events";
import { Intent } from "@/lib/defix/intents";
import { fetchJson } from "@/lib/query/fetcher";
import type { IntentFilters } from "@/lib/query/intent-filters";
import { fetchIntentPage, PAGE_SIZE } from "@/lib/query/intents";
import { queryKeys } from "@/lib/query/keys";
import { applyEventsToPages, type IntentPages, rowsOf, upsertIntents } from "../model/live-cache";
import { stateOfEvent } from "../model/transitions";

/** Beyond this many unseen intents in one batch, one page fetch is cheaper than one fetch each. */
const MAX_SINGLE_FETCHES = 8;
const RECONCILE_TYPES = new Set([
  "INTENT_PLANNED",
  "INTENT_COMPLETED",
  "INTENT_FAILED",
  "INTENT_ABORTED",
  "INTENT_EXPIRED",
  "INTENT_CANCELED",
  "TX_MINED",
]);

export function parseStreamEvent(data: string): IntentEvent | null {
  try {
    const parsed = IntentEventSchema.safeParse(JSON.parse(data));
    return parsed.success ? parsed.data : null;
  } catch (error) {
    console.warn("unparseable stream event", error);
    return null;
  }
}

const fetchIntent = (id: string) => fetchJson(`/api/oms/intents/${encodeURIComponent(id)}`, Intent);

function merge(client: QueryClient, filters: IntentFilters, intents: readonly Intent[]): void {
  const key = queryKeys.intents.list(filters);
  client.setQueryData<IntentPages>(key, (data) => (data ? upsertIntents(data, intents, filters, Date.now()) : data));
  for (const intent of intents) {
    if (client.getQueryData(queryKeys.intents.detail(intent.id))) {
      client.setQueryData(queryKeys.intents.detail(intent.id), intent);
    }
  }
}

/**
 * Applies a batch of streamed events to the loaded history: state moves at once from the event,
 * then rows whose details changed (size when planned, error/gas when terminal) and rows never seen
 * (new intents) are fetched and merged.
 */
export async function applyStreamBatch(
  client: QueryClient,
  filters: IntentFilters,
  events: IntentEvent[],
): Promise<void> {
  const key = queryKeys.intents.list(filters);
  const data = client.getQueryData<IntentPages>(key);
  if (!data) return;
  const { data: next, unknownIds } = applyEventsToPages(data, events, filters, Date.now());
  client.setQueryData(key, next);
  const reconcile = new Set(unknownIds);
  for (const event of events) if (RECONCILE_TYPES.has(event.message_type)) reconcile.add(event.intent_id);
  if (events.some((event) => stateOfEvent(event) !== null)) {
    void client.invalidateQueries({ queryKey: queryKeys.intents.facets(filters) });
  }
  if (reconcile.size > MAX_SINGLE_FETCHES) return pollNewest(client, filters);
  const fetched = await Promise.all([...reconcile].map((id) => fetchIntent(id).catch(() => null)));
  merge(
    client,
    filters,
    fetched.filter((intent): intent is Intent => intent !== null),
  );
}

/**
 * The polling fallback (and the catch-up after a reconnect, since the stream does not replay): the
 * newest page, plus any loaded in-flight row that the newest page did not cover.
 */
export async function pollNewest(client: QueryClient, filters: IntentFilters): Promise<void> {
  const page = await fetchIntentPage(filters, null, PAGE_SIZE);
  const covered = new Set(page.data.map((intent) => intent.id));
  const loaded = rowsOf(client.getQueryData<IntentPages>(queryKeys.intents.list(filters)));
  const stale = loaded
    .filter((intent) => !covered.has(intent.id) && intent.completed_at === null)
    .slice(0, MAX_SINGLE_FETCHES * 3);
  const refreshed = await Promise.all(stale.map((intent) => fetchIntent(intent.id).catch(() => null)));
  merge(client, filters, [...page.data, ...refreshed.filter((intent): intent is Intent => intent !== null)]);
  client.setQueryData(queryKeys.intents.facets(filters), page.facets);
}
