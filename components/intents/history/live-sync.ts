import type { QueryClient } from "@tanstack/react-query";
import type { IntentEvent } from "@/lib/defix/events";
import type { Intent, IntentList } from "@/lib/defix/intents";
import { fetchJson } from "@/lib/query/fetcher";
import type { IntentFilters } from "@/lib/query/intent-filters";
import { fetchIntentPage, PAGE_SIZE } from "@/lib/query/intents";
import { queryKeys } from "@/lib/query/keys";
import { rebaseFacets } from "../model/facet-cache";
import {
  applyEventsToPages,
  type IntentPages,
  type RowChange,
  rowsOf,
  type Upserted,
  upsertTracked,
  withFacets,
} from "../model/live-cache";
import { stateOfEvent } from "../model/transitions";

/** Beyond this many intents to refresh in one batch, one page fetch is cheaper than one fetch each. */
const MAX_SINGLE_FETCHES = 8;
/** A busy OMS must not be answered with more load: the newest page is fetched at most this often. */
const MIN_POLL_GAP_MS = 2000;
/** Events kept for a list still loading; past this, one page read once it has loaded stands for them. */
const MAX_HELD_EVENTS = 2_000;
/**
 * Rows the facet refresh reads with its counts: enough to list the intents that arrived during its request, so a
 * count read before one of them committed is told apart from one read after (model/facet-cache.ts `rebaseFacets`).
 */
const FACET_REFRESH_ROWS = 20;
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
  /** Row changes written to each list entry, numbered, kept while a request that may predate them is in flight. */
  private changeLog: { mark: number; key: string; changes: readonly RowChange[] }[] = [];
  private nextMark = 1;
  private readonly marksInFlight = new Set<number>();
  /**
   * What arrived for a list still loading (its key): the events, applied once it has loaded (the list may have been
   * read before them, and a new intent's later events cannot make its row), and whether a catch-up found no list.
   */
  private unloaded: { key: string; events: IntentEvent[]; isCatchUpOwed: boolean } | null = null;

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
    if (!data) {
      const held = this.heldFor(key);
      held.events.push(...events);
      // A list that does not load (an OMS error) must not keep every event: a page read replaces them.
      if (held.events.length > MAX_HELD_EVENTS) {
        held.events = [];
        held.isCatchUpOwed = true;
      }
      return;
    }
    const { data: next, changes, unknownIds } = applyEventsToPages(data, events, filters, Date.now());
    this.client.setQueryData(key, next);
    this.record(key, changes);
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
   * The list of `key` has loaded: what arrived while it loaded is applied now (events already in it change nothing),
   * and a catch-up that found no list to write into runs again.
   */
  private async listLoaded(key: string): Promise<void> {
    const held = this.unloaded;
    if (held === null || held.key !== key) return;
    this.unloaded = null;
    if (held.events.length > 0) await this.applyBatch(held.events);
    if (held.isCatchUpOwed) await this.catchUp();
  }

  /** What is held for the list of `key`, watching the cache for it to load (the page's code need not tell). */
  private heldFor(key: readonly unknown[]): { events: IntentEvent[]; isCatchUpOwed: boolean } {
    const keyText = JSON.stringify(key);
    if (this.unloaded?.key === keyText) return this.unloaded;
    this.unloaded = { key: keyText, events: [], isCatchUpOwed: false };
    const stop = this.client.getQueryCache().subscribe(({ query }) => {
      if (JSON.stringify(query.queryKey) !== keyText || query.state.data === undefined) return;
      stop();
      // After the cache's own notification has run, not inside it.
      setTimeout(() => {
        this.listLoaded(keyText).catch((error: unknown) => console.warn("live update failed", error));
      }, 0);
    });
    return this.unloaded;
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
    const page = await this.fetchCounted(filters, PAGE_SIZE);
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
    const changes = this.upsert(key, (data) => upsertTracked(data, intents, filters, Date.now()));
    // The counts moved with the rows; the OMS's own count settles them shortly after.
    if (changes.length > 0) this.refreshFacets();
    this.updateDetails(intents);
  }

  /** Writes one list entry's rows and records what changed; nothing when the entry is gone. */
  private upsert(key: readonly unknown[], write: (data: IntentPages) => Upserted): readonly RowChange[] {
    const data = this.client.getQueryData<IntentPages>(key);
    if (!data) return [];
    const { data: next, changes } = write(data);
    if (next !== data) this.client.setQueryData(key, next);
    this.record(key, changes);
    return changes;
  }

  private record(key: readonly unknown[], changes: readonly RowChange[]): void {
    if (changes.length === 0 || this.marksInFlight.size === 0) return;
    this.changeLog.push({ mark: this.nextMark++, key: JSON.stringify(key), changes });
  }

  /**
   * The newest page with its counts, written into the list: its rows where newer, its counts brought up to the rows
   * the cache took in while the request was out (the stream is faster than a page read). Answers the page.
   */
  private async fetchCounted(filters: IntentFilters, limit: number): Promise<IntentList> {
    const key = queryKeys.intents.list(filters);
    const mark = this.nextMark++;
    this.marksInFlight.add(mark);
    try {
      const page = await fetchIntentPage(filters, null, limit);
      // No list yet to write into: the page is read again once it has loaded (`listLoaded`).
      if (!this.client.getQueryData<IntentPages>(key)) this.heldFor(key).isCatchUpOwed = true;
      const keyText = JSON.stringify(key);
      const since = this.changeLog
        .filter((entry) => entry.mark > mark && entry.key === keyText)
        .flatMap((entry) => entry.changes);
      const now = Date.now();
      const facets = rebaseFacets(page, since, filters, now);
      this.upsert(key, (data) => {
        const upserted = upsertTracked(data, page.data, filters, now);
        return { ...upserted, data: withFacets(upserted.data, facets) };
      });
      return page;
    } finally {
      this.marksInFlight.delete(mark);
      const oldest = Math.min(...this.marksInFlight.keys());
      this.changeLog = this.changeLog.filter((entry) => entry.mark > oldest);
    }
  }

  private updateDetails(intents: readonly Intent[]): void {
    for (const intent of intents) {
      const shown = this.client.getQueryData<Intent>(queryKeys.intents.detail(intent.id));
      // A page read before the detail's own last update must not take it back.
      if (shown && shown.seq_num <= intent.seq_num) {
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
      this.fetchCounted(this.filters(), FACET_REFRESH_ROWS)
        .then((page) => this.updateDetails(page.data))
        .catch((error: unknown) => console.warn("facet refresh failed", error));
    }, 1000);
  }
}
