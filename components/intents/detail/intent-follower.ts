import type { QueryClient } from "@tanstack/react-query";
import type { IntentEvent } from "@/lib/defix/events";
import type { Intent } from "@/lib/defix/intents";
import type { IntentBusSubscriber } from "@/lib/query/intent-bus";
import { invalidateAfterChange } from "@/lib/query/invalidate";
import { queryKeys } from "@/lib/query/keys";
import { applyEvent, stateOfEvent } from "../model/transitions";

const TERMINAL_TYPES = new Set([
  "INTENT_COMPLETED",
  "INTENT_ABORTED",
  "INTENT_EXPIRED",
  "INTENT_FAILED",
  "INTENT_CANCELED",
]);
/** Events after which the fills or attempts lists have something new to show. */
const FILL_TYPES = new Set(["TX_MINED", "FILL_RECORDED", "INTENT_COMPLETED", "INTENT_FAILED"]);
const ATTEMPT_TYPES = new Set([
  "TX_SIGNED",
  "TX_BROADCAST",
  "TX_REPLACED",
  "TX_DROPPED",
  "TX_MINED",
  "INTENT_EXECUTING",
]);
/** While the tab's stream is down, the log is read this often instead. */
const POLL_MS = 5_000;
/**
 * How long refetches of what events change (the intent's derived fields, attempts, fills) wait for the rest of a
 * burst: an execution commits STAGED…BROADCAST within milliseconds, and a refetch per event cancelled the one before
 * (a third of a detail page's requests never finished, each still costing the BFF and the OMS their work).
 */
export const REFRESH_DELAY_MS = 100;

export function mergeEvents(existing: readonly IntentEvent[], incoming: readonly IntentEvent[]): IntentEvent[] {
  const bySeq = new Map(existing.map((event) => [event.seq_num, event]));
  for (const event of incoming) bySeq.set(event.seq_num, event);
  return [...bySeq.values()].sort((a, b) => a.seq_num - b.seq_num);
}

export interface IntentFollow {
  client: QueryClient;
  id: string;
  bus: { subscribe: (subscriber: IntentBusSubscriber) => () => void };
  /** The intent's events after a seq (`fetchEventsAfter` in lib/query/intent-detail.ts). */
  fetchAfter: (afterSeq: number) => Promise<IntentEvent[]>;
  /** The terminal event arrived: nothing more will come. */
  onDone: () => void;
}

/**
 * Grows one intent's cached event log from the tab's intent bus (filtered by intent id) instead of a stream of
 * its own: a tab has few connections to the host, and the bus already carries every event of the user's vaults.
 * It subscribes first, then reads the log after the last seq held whenever the bus cannot vouch for what it
 * missed (joining a connection, a connection that did not resume, `reset`, polls while the stream is down);
 * events from either path merge by `seq_num`, so none is lost or shown twice. Stops at the terminal event.
 */
export function followIntent({ client, id, bus, fetchAfter, onDone }: IntentFollow): () => void {
  let isClosed = false;
  let leave: (() => void) | null = null;
  let reading: Promise<void> | null = null;
  let isReadAgain = false;

  const refresh = refresher(client, id);
  const close = (): void => {
    isClosed = true;
    leave?.();
    leave = null;
    refresh.flush();
  };
  const apply = (events: readonly IntentEvent[]): void => {
    if (isClosed || events.length === 0) return;
    refresh.add(applyToCache(client, id, events));
    if (events.some((event) => TERMINAL_TYPES.has(event.message_type))) {
      close();
      onDone();
    }
  };
  // One read at a time; a request while one is out is answered by one more read after it, not by a second one now.
  const readMissed = (): void => {
    if (isClosed) return;
    if (reading) {
      isReadAgain = true;
      return;
    }
    reading = fetchAfter(lastSeq(client, id))
      .then(apply)
      .catch((error: unknown) => console.warn("intent event catch-up failed", error))
      .finally(() => {
        reading = null;
        if (!isReadAgain) return;
        isReadAgain = false;
        readMissed();
      });
  };

  leave = bus.subscribe({
    onEvent: (event) => {
      if (event.intent_id === id) apply([event]);
    },
    // A resumed connection replayed everything after the tab's position, which this subscriber heard.
    onConnect: ({ resumed }) => {
      if (!resumed) readMissed();
    },
    onGap: (gap) => {
      if (gap === "reset") return readMissed();
      // The caller may have lost the vault: the intent itself answers whether it is still visible.
      void invalidateAfterChange(client, { queryKey: queryKeys.intents.detail(id) });
    },
    fallback: { everyMs: POLL_MS, run: readMissed },
  });
  // `subscribe` may already have ended it (a terminal event read at once); then nothing must stay subscribed.
  if (isClosed) close();
  return close;
}

function lastSeq(client: QueryClient, id: string): number {
  return client.getQueryData<IntentEvent[]>(queryKeys.intents.events(id))?.at(-1)?.seq_num ?? 0;
}

type Stale = "fills" | "attempts" | "detail";

/** Applies the events the cache does not hold yet (log and state at once) and says what they make stale. */
function applyToCache(client: QueryClient, id: string, events: readonly IntentEvent[]): Stale[] {
  const held = new Set(client.getQueryData<IntentEvent[]>(queryKeys.intents.events(id))?.map((e) => e.seq_num));
  const fresh = events.filter((event) => !held.has(event.seq_num));
  if (fresh.length === 0) return [];
  client.setQueryData<IntentEvent[]>(queryKeys.intents.events(id), (log) => mergeEvents(log ?? [], fresh));
  client.setQueryData<Intent>(queryKeys.intents.detail(id), (intent) =>
    intent ? fresh.reduce((next, event) => applyEvent(next, event), intent) : intent,
  );
  const types = new Set(fresh.map((event) => event.message_type));
  const isAny = (wanted: ReadonlySet<string>) => [...types].some((type) => wanted.has(type));
  const stale: Stale[] = [];
  if (isAny(FILL_TYPES)) stale.push("fills");
  if (isAny(ATTEMPT_TYPES)) stale.push("attempts");
  // The row's derived fields (size, gas, error text) come from the OMS projection.
  if (fresh.some((event) => stateOfEvent(event) !== null)) stale.push("detail");
  return stale;
}

/** Refetches what a burst of events made stale once, `REFRESH_DELAY_MS` after its first event (or at `flush`). */
function refresher(client: QueryClient, id: string): { add: (stale: readonly Stale[]) => void; flush: () => void } {
  const pending = new Set<Stale>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = (): void => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    for (const kind of pending) {
      const queryKey = kind === "detail" ? queryKeys.intents.detail(id) : queryKeys.intents[kind](id);
      void invalidateAfterChange(client, { queryKey, exact: kind === "detail" });
    }
    pending.clear();
  };
  return {
    add: (stale) => {
      for (const kind of stale) pending.add(kind);
      if (pending.size > 0 && timer === null) timer = setTimeout(flush, REFRESH_DELAY_MS);
    },
    flush,
  };
}
