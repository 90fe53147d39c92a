import type { Kysely } from "kysely";
import type { IntentEvent } from "../../lib/defix";
import type { Logger } from "../kernel/logger";
import { listEventsSince } from "../store/intents-repo";
import type { Database } from "../store/schema";

export interface EventBus {
  publish(events: readonly IntentEvent[]): void;
  subscribe(listener: (event: IntentEvent) => void): () => void;
  close(): void;
  /** Event ids remembered for de-duplication (bounded; exposed for tests). */
  rememberedCount(): number;
}

/** How far back each poll looks: events of another process may commit a little out of time order. */
const LOOKBACK_MS = 3_000;
/** Past this many remembered ids, old ones are dropped on the next delivery, not only on the next poll. */
const PRUNE_AT = 10_000;

/**
 * In-process fan-out of committed events, plus (when `pollMs` is set) a cheap poll of the events
 * table so listeners also hear events other OMS processes committed. Each event is delivered once.
 */
export function createEventBus(options: { db: Kysely<Database>; pollMs: number | null; log: Logger }): EventBus {
  const listeners = new Set<(event: IntentEvent) => void>();
  const seen = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  let isPolling = false;

  function forgetOld(): void {
    const horizon = Date.now() - 2 * LOOKBACK_MS;
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
      const since = new Date(Date.now() - LOOKBACK_MS).toISOString();
      for (const event of await listEventsSince(options.db, since, 1_000)) deliver(event);
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
        timer = setInterval(() => void poll(), options.pollMs);
        timer.unref();
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
