import type { Kysely } from "kysely";
import type { IntentEvent } from "../../lib/defix";
import type { Logger } from "../kernel/logger";
import { listEventsAfterPosition } from "../store/events-repo";
import { headPosition } from "../store/positions";
import type { Database } from "../store/schema";

export interface EventBus {
  publish(events: readonly IntentEvent[]): void;
  subscribe(listener: (event: IntentEvent) => void): () => void;
  close(): void;
  /** Event ids remembered for de-duplication (bounded; exposed for tests). */
  rememberedCount(): number;
}

/** How long a delivered id is remembered (by its event time) to drop the poll's copy of an in-process event. */
const REMEMBER_MS = 6_000;
/** Events read per poll query; a poll reads pages until it is at the head. */
const POLL_PAGE = 1_000;
/** Past this many remembered ids, old ones are dropped on the next delivery, not only on the next poll. */
const PRUNE_AT = 10_000;

/**
 * In-process fan-out of committed events, plus (when `pollMs` is set) a cheap poll of the events
 * table by position so listeners also hear events other OMS processes committed after they
 * subscribed. Positions commit in order, so reading `position > cursor` misses none, whatever an
 * event's own timestamp. An event is delivered once; in the rare case an in-process event's id was
 * already forgotten when the poll reads it, twice: listeners (the SSE streams) only take it as a cue
 * to read the store, so that is harmless.
 */
export function createEventBus(options: { db: Kysely<Database>; pollMs: number | null; log: Logger }): EventBus {
  const listeners = new Set<(event: IntentEvent) => void>();
  const seen = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  let isPolling = false;
  /** The last position the poll read; null until it has read the head (listening starts there). */
  let cursor: number | null = null;

  function forgetOld(): void {
    const horizon = Date.now() - REMEMBER_MS;
    for (const [id, at] of seen) if (at < horizon) seen.delete(id);
  }

  function deliver(event: IntentEvent): void {
    // Nobody listening: nothing to deliver or de-duplicate. Remembering ids here would grow without
    // bound, since only a poll (which runs while someone listens) forgot them.
    if (listeners.size === 0) return;
    if (seen.has(event.event_id)) return;
    seen.set(event.event_id, Date.parse(event.created_at));
    if (seen.size > PRUNE_AT) forgetOld();
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (error) {
        options.log.error("event listener threw", { error: error instanceof Error ? error.message : String(error) });
      }
    }
  }

  async function poll(): Promise<void> {
    if (isPolling || listeners.size === 0) return;
    isPolling = true;
    try {
      if (cursor === null) {
        cursor = await headPosition(options.db);
        return;
      }
      for (;;) {
        const page = await listEventsAfterPosition(options.db, cursor, "all", POLL_PAGE);
        for (const event of page) {
          cursor = Math.max(cursor, event.position ?? cursor);
          deliver(event);
        }
        if (page.length < POLL_PAGE || listeners.size === 0) break;
      }
      forgetOld();
    } catch (error) {
      options.log.warn("event poll failed", { error: error instanceof Error ? error.message : String(error) });
    } finally {
      isPolling = false;
    }
  }

  return {
    publish(events) {
      for (const event of events) deliver(event);
    },
    subscribe(listener) {
      listeners.add(listener);
      if (options.pollMs !== null && timer === undefined) {
        cursor = null;
        timer = setInterval(() => void poll(), options.pollMs);
        timer.unref();
        void poll();
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && timer !== undefined) {
          clearInterval(timer);
          timer = undefined;
        }
      };
    },
    rememberedCount: () => seen.size,
    close() {
      listeners.clear();
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    },
  };
}
