import type { Kysely } from "kysely";
import type { IntentEvent } from "../../lib/defix";
import type { Logger } from "../kernel/logger";
import type { Wakeup, WakeupSource } from "../kernel/pg-listen";
import { serialRead } from "../kernel/serial-read";
import { listEventsAfterPosition } from "../store/events-repo";
import { headPosition } from "../store/positions";
import type { Database } from "../store/schema";

export interface EventBus {
  publish(events: readonly IntentEvent[]): void;
  subscribe(listener: (event: IntentEvent) => void): () => void;
  close(): Promise<void>;
  /**
   * Whether every commit from now on will reach the listeners: someone listens and the head position
   * has been read (commits after it are delivered as reads by position find them). Caches store nothing
   * before: a commit in between could go unheard.
   */
  isListening(): boolean;
  /** Event ids remembered for de-duplication (bounded; exposed for tests). */
  rememberedCount(): number;
}

/** How long a delivered id is remembered (from its delivery) to drop a read's copy of an in-process event. */
const REMEMBER_MS = 6_000;
/** Events read per poll query; a poll reads pages until it is at the head. */
const POLL_PAGE = 1_000;
/** At most this many ids are remembered: past it the oldest go on the next delivery, young or not. */
const PRUNE_AT = 10_000;
/**
 * A NOTIFY can reach this process before the answer to the statement that queued it (two connections): the cue
 * waits this long before it reads, and a commit of ours published meanwhile makes the read unnecessary.
 */
export const NOTIFY_SETTLE_MS = 5;

export interface EventBusOptions {
  db: Kysely<Database>;
  /**
   * The safety tick: how often the bus reads the store for other processes' commits even without a
   * cue (null = never; in-process events only). With `wakeups` it is only a backstop for a lost cue.
   */
  pollMs: number | null;
  /** Cues that another process committed (PostgreSQL LISTEN/NOTIFY); each one triggers a read by position. */
  wakeups?: WakeupSource;
  log: Logger;
}

/**
 * In-process fan-out of committed events, plus reads of the events table by position so listeners
 * also hear events other OMS processes committed after they subscribed. A read runs on every
 * wake-up (a NOTIFY carrying the committed position, the listening connection coming back) and on
 * the safety tick. Positions commit in order, so reading `position > cursor` misses none, whatever an
 * event's own timestamp, and a cue lost while the listening connection was down costs latency, not
 * events. An event is delivered once; in the rare case an in-process event's id was already
 * forgotten when a read returns it, twice: listeners (the SSE streams) only take it as a cue to read
 * the store, so that is harmless.
 */
export function createEventBus(options: EventBusOptions): EventBus {
  const listeners = new Set<(event: IntentEvent) => void>();
  const seen = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  let settling: NodeJS.Timeout | undefined;
  /** The highest position a NOTIFY named (a read is due while the cursor is behind it). */
  let notifiedUpTo = 0;
  let wakeups: { close(): Promise<void> } | undefined;
  /** The last position read; null until the head has been read (listening starts there). */
  let cursor: number | null = null;

  function forgetOld(): void {
    // Ids are remembered by delivery time, in delivery order: the old ones come first, and the walk stops at the
    // first young one past the bound (it used to walk every id, ~10,000 at 2,000 events/s, on every delivery). An
    // id forgotten early costs at most a second delivery of its event, which listeners take as a cue only.
    const horizon = Date.now() - REMEMBER_MS;
    for (const [id, at] of seen) {
      if (at >= horizon && seen.size <= PRUNE_AT) break;
      seen.delete(id);
    }
  }

  function deliver(event: IntentEvent): void {
    // Nobody listening: nothing to deliver or de-duplicate. Remembering ids here would grow without
    // bound, since only a read (which runs while someone listens) forgot them.
    if (listeners.size === 0) return;
    if (seen.has(event.event_id)) return;
    seen.set(event.event_id, Date.now());
    if (seen.size > PRUNE_AT) forgetOld();
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (error) {
        options.log.error("event listener threw", { error: error instanceof Error ? error.message : String(error) });
      }
    }
  }

  async function readOnce(): Promise<void> {
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
  }

  const read = serialRead(readOnce, {
    isWanted: () => listeners.size > 0,
    log: options.log,
    failureMessage: "event read failed",
  });

  function onWake(cue: Wakeup): void {
    if (cue.kind !== "notified") {
      void read();
      return;
    }
    // A NOTIFY names the last position its transaction committed: nothing to read if we are past it, and our
    // own commit's publish, when it is one, usually follows within the settle time.
    notifiedUpTo = Math.max(notifiedUpTo, Number(cue.payload));
    if ((cursor !== null && notifiedUpTo <= cursor) || settling !== undefined) return;
    settling = setTimeout(() => {
      settling = undefined;
      if (cursor === null || notifiedUpTo > cursor) void read();
    }, NOTIFY_SETTLE_MS);
  }

  return {
    publish(events) {
      for (const event of events) {
        deliver(event);
        // Our own commit right after the cursor: the NOTIFY it queued then needs no read (positions commit in
        // order, so nothing lies between). After a gap (another process, a commit of ours not yet published),
        // the cursor waits and the read by position fills it.
        if (cursor !== null && listeners.size > 0 && event.position === cursor + 1) cursor = event.position;
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      if (listeners.size === 1) {
        // Listening (re)starts at the head: events before the first subscriber are nobody's.
        cursor = null;
        if (options.pollMs !== null) {
          timer = setInterval(() => void read(), options.pollMs);
          timer.unref();
        }
        void read();
      }
      // The listening connection stays open once opened: subscribers come and go with SSE clients.
      wakeups ??= options.wakeups?.start(onWake);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && timer !== undefined) {
          clearInterval(timer);
          timer = undefined;
        }
      };
    },
    rememberedCount: () => seen.size,
    isListening: () => cursor !== null && listeners.size > 0,
    async close() {
      listeners.clear();
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      clearTimeout(settling);
      settling = undefined;
      await wakeups?.close();
      wakeups = undefined;
    },
  };
}
