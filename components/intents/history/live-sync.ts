import type { QueryClient } from "@tanstack/react-query";
import type { IntentEvent } from "@/lib/defix/events";
import type { Intent } from "@/lib/defix/intents";
import { fetchJson } from "@/lib/query/fetcher";
import type { IntentFilters } from "@/lib/query/intent-filters";
import { fetchIntentPage, PAGE_SIZE } from "@/lib/query/intents";
import { queryKeys } from "@/lib/query/keys";
import { applyEventsToPages, type IntentPages, rowsOf, upsertIntents, withFacets } from "../model/live-cache";
import { stateOfEvent } from "../model/transitions";

/** Beyond this many intents to refresh in one batch, one page fetch is cheaper than one fetch each. */
const MAX_SINGLE_FETCHES = 8;
/** A busy OMS must not be answered with more load: the newest page is fetched at most this often. */
const MIN_POLL_GAP_MS = 2000;
const RECONCILE_TYPES = new Set([
  "INTENT_PLANNED",
  "INTENT_COMPLETED",
  "INTENT_FAILED",
  "INTENT_ABORTED",
  "INTENT_EXPIRED",
  "INTENT_CANCELED",
  "TX_MINED",
]);

const fetchIntent = (id: string) => fetchJson<Intent>(`/api/oms/intents/${encodeURIComponent(id)}`);

/**
 * Keeps one history view's cache in step with the OMS. Stateful on purpose: it remembers fetches
 * in flight and when it last polled, so bursts of events (thousands of intents moving at once)
 * cost a bounded number of requests instead of one per event.
 */
export class LiveSync {
  private fetching = new Set<string>();
  private polling: Promise<void> | null = null;
  private lastPollAt = 0;
  private isFacetRefreshQueued = false;

  constructor(
    private readonly client: QueryClient,
    private readonly filters: () => IntentFilters,
  ) {}

  /**
   * State moves and new intents show at once from the events; the OMS's copy of rows that reached a step whose
   * derived fields (size, gas, error text) the events do not carry is fetched after, off that path.
   */
  async applyBatch(events: readonly IntentEvent[]): Promise<void> {
    const filters = this.filters();
    const key = queryKeys.intents.list(filters);
    const data = this.client.getQueryData<IntentPages>(key);
    if (!data) return;
    const { data: next, unknownIds } = applyEventsToPages(data, events, filters, Date.now());
    this.client.setQueryData(key, next);
    if (events.some((event) => stateOfEvent(event) !== null)) this.refreshFacets();
    const reconcile = new Set(unknownIds);
    const loaded = new Set(rowsOf(next).map((intent) => intent.id));
    for (const event of events) {
      if (RECONCILE_TYPES.has(event.message_type) && loaded.has(event.intent_id)) reconcile.add(event.intent_id);
    }
    const ids = [...reconcile].filter((id) => !this.fetching.has(id));
    if (ids.length > MAX_SINGLE_FETCHES) return this.poll(false);
    await this.fetchEach(ids);
  }

  /**
   * The newest page (the polling fallback while the stream is down, and the catch-up when a stream
   * starts without a position to resume from, or after `event: reset`). With `refreshLoaded`, loaded in-flight rows the page did not cover are fetched too.
   */
  poll(refreshLoaded: boolean): Promise<void> {
    if (this.polling || Date.now() - this.lastPollAt < MIN_POLL_GAP_MS) return this.polling ?? Promise.resolve();
    this.lastPollAt = Date.now();
    this.polling = this.pollOnce(refreshLoaded).finally(() => {
      this.polling = null;
    });
    return this.polling;
  }

  /**
   * After a connection that did not resume (the tab joined the shared one, took it over, or reconnected without a
   * position): the list was read before that connection started at the OMS's head, so what was committed in between
   * is read now, from a page fetched after it. Never skipped by the poll gap; after a poll in flight, once more.
   */
  catchUp(): Promise<void> {
    const run = (): Promise<void> => {
      this.lastPollAt = Date.now();
      return this.pollOnce(true);
    };
    const tracked: Promise<void> = (this.polling ?? Promise.resolve()).then(run, run).finally(() => {
      if (this.polling === tracked) this.polling = null;
    });
    this.polling = tracked;
    return tracked;
  }

  private async pollOnce(refreshLoaded: boolean): Promise<void> {
    const filters = this.filters();
    const page = await fetchIntentPage(filters, null, PAGE_SIZE);
    this.client.setQueryData<IntentPages>(queryKeys.intents.list(filters), (data) =>
      data ? withFacets(upsertIntents(data, page.data, filters, Date.now()), page.facets) : data,
    );
    this.updateDetails(page.data);
    if (!refreshLoaded) return;
    const covered = new Set(page.data.map((intent) => intent.id));
    const stale = rowsOf(this.client.getQueryData<IntentPages>(queryKeys.intents.list(filters)))
      .filter((intent) => !covered.has(intent.id) && intent.completed_at === null)
      .slice(0, MAX_SINGLE_FETCHES * 3);
    await this.fetchEach(stale.map((intent) => intent.id));
  }

  private async fetchEach(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    for (const id of ids) this.fetching.add(id);
    try {
      const fetched = await Promise.all(ids.map((id) => fetchIntent(id).catch(() => null)));
      this.merge(fetched.filter((intent): intent is Intent => intent !== null));
    } finally {
      for (const id of ids) this.fetching.delete(id);
    }
  }

  private merge(intents: readonly Intent[]): void {
    if (intents.length === 0) return;
    const filters = this.filters();
    const key = queryKeys.intents.list(filters);
    const before = this.client.getQueryData<IntentPages>(key);
    const after = this.client.setQueryData<IntentPages>(key, (data) =>
      data ? upsertIntents(data, intents, filters, Date.now()) : data,
    );
    // The counts moved with the rows; the OMS's own count settles them shortly after.
    if (after !== before) this.refreshFacets();
    this.updateDetails(intents);
  }

  private updateDetails(intents: readonly Intent[]): void {
    for (const intent of intents) {
      if (this.client.getQueryData(queryKeys.intents.detail(intent.id))) {
        this.client.setQueryData(queryKeys.intents.detail(intent.id), intent);
      }
    }
  }

  /**
   * Facet counts move with every transition, also of intents not loaded here; one refresh per second
   * is plenty. Written into the list's own cache entry (a 1-row page), never as a separate figure.
   */
  private refreshFacets(): void {
    if (this.isFacetRefreshQueued) return;
    this.isFacetRefreshQueued = true;
    setTimeout(() => {
      this.isFacetRefreshQueued = false;
      const filters = this.filters();
      fetchIntentPage(filters, null, 1)
        .then((page) =>
          this.client.setQueryData<IntentPages>(queryKeys.intents.list(filters), (data) =>
            data ? withFacets(data, page.facets) : data,
          ),
        )
        .catch((error: unknown) => console.warn("facet refresh failed", error));
    }, 1000);
  }
}
