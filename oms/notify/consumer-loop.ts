import type { Kysely } from "kysely";
import type { Logger } from "../kernel/logger";
import { advanceConsumer, leaseConsumer, releaseConsumer } from "../store/consumers";
import type { Database } from "../store/schema";

export interface ConsumerLoopOptions {
  db: Kysely<Database>;
  /** The consumer's name in `consumer_cursors` (one lease, one cursor). */
  name: string;
  /** This process's id for the lease. */
  owner: string;
  leaseMs: number;
  /** Backstop: the loop runs at least this often even with no wake-up; also the retry delay after a failure. */
  tickMs: number;
  /** At most one pass that handled something per this many ms (default `PASS_SPACING_MS`). */
  passSpacingMs?: number;
  /** The stored cursor is written at most this often for pages without effects (default `CURSOR_STORE_MS`). */
  cursorStoreMs?: number;
  /** Where a consumer that never ran starts (0: from the first event). */
  initialPosition: number;
  /**
   * Handles what follows `position` (one page). Throws when it could handle nothing (the loop logs once per
   * outage and retries).
   */
  step(position: number): Promise<StepResult>;
  log: Logger;
}

export interface StepResult {
  /** The last position handled; the `position` given when there was nothing. */
  position: number;
  /**
   * Whether more may follow at once (a full page). A short page ends the pass without reading again: what
   * commits meanwhile wakes the loop, and the tick covers a missed wake.
   */
  hasMore: boolean;
  /**
   * The page wrote something that handling it again would write again (an alert raised or resolved): the cursor
   * is stored at once. Without effects (a publish the broker de-duplicates, a page nothing matched) it is stored
   * at most every `cursorStoreMs`, and when the loop stops.
   */
  hasEffects?: boolean;
}

/** The step result of a page read with `limit`: more may follow only when it came back full. */
export function pageResult(position: number, read: number, limit: number): StepResult {
  return { position, hasMore: read >= limit };
}

/**
 * Under a stream of commits (a cue per commit), a consumer that handled something waits this long from the start
 * of its pass before the next one, and the cues of that time make one pass: its reads and cursor writes go
 * from one per commit to one per spacing. A cue after a quiet spell is handled at once.
 */
export const PASS_SPACING_MS = 50;

/**
 * How often a consumer writes its cursor when its pages have no effects. Each write is a durable commit (an fsync
 * on SQLite, ~0.5 ms of a blocked event loop on the bench machine; ~5 per intent before). A crash replays at most
 * this much of the log: at least once, as before, only a longer stretch of it.
 */
export const CURSOR_STORE_MS = 1_000;

/** Resolves after `ms` (nothing when `ms` ≤ 0). */
export function pause(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

export interface ConsumerStatus {
  name: string;
  /** Whether this process holds the lease (and so runs the consumer). */
  holding: boolean;
  /** The last position handled here (null until this process held the lease). */
  position: number | null;
  /** The last failure, until a step succeeds again. */
  error: string | null;
}

export interface ConsumerLoop {
  /** A cue that there may be something new (the event bus); cheap, coalesced. */
  wake(): void;
  status(): ConsumerStatus;
  /** Stops after the current step and releases the lease so another process takes over at once. */
  stop(): Promise<void>;
}

/**
 * Runs one outbox consumer (docs/ARCHITECTURE.md, "Outbox consumers"): holds its lease, handles pages
 * after the stored cursor until caught up, advances the cursor after each page, then sleeps until a wake
 * or the tick. At least once and in order: a page is handled again after a crash before its advance.
 */
export function startConsumerLoop(options: ConsumerLoopOptions): ConsumerLoop {
  const { db, name, owner } = options;
  let stopped = false;
  let holding = false;
  let position: number | null = null;
  /** The cursor as last written to the table, and when. */
  let stored: number | null = null;
  let storedAt = 0;
  let error: string | null = null;
  let leasedAt = 0;
  /** Ends the current wait; `isCueable`: whether a cue ends it too (the tick's sleep) or only `stop` (the spacing). */
  let endWait: (() => void) | null = null;
  let isCueable = false;
  let pending = false;

  function wait(ms: number, cueable: boolean): Promise<void> {
    return new Promise((resolve) => {
      if (ms <= 0 || stopped || (cueable && pending)) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        endWait = null;
        resolve();
      }
      endWait = done;
      isCueable = cueable;
    });
  }

  async function lease(): Promise<boolean> {
    const now = Date.now();
    if (holding && now - leasedAt < options.leaseMs / 3) return true;
    const taken = await leaseConsumer(db, {
      name,
      owner,
      now: new Date(now),
      leaseMs: options.leaseMs,
      initialPosition: options.initialPosition,
    });
    if (taken === null) {
      holding = false;
      return false;
    }
    if (!holding) {
      position = taken.position;
      stored = taken.position;
      storedAt = now;
    }
    holding = true;
    leasedAt = now;
    return true;
  }

  /**
   * Writes the cursor if it moved since the last write and `isDue` or `cursorStoreMs` has passed. False when the
   * lease was lost (another process took over: it resumes from the stored cursor, re-handling what followed it).
   */
  async function store(isDue: boolean): Promise<boolean> {
    if (position === null || position === stored) return true;
    if (!isDue && Date.now() - storedAt < (options.cursorStoreMs ?? CURSOR_STORE_MS)) return true;
    if (!(await advanceConsumer(db, { name, owner, position, now: new Date() }))) {
      holding = false;
      options.log.warn(`consumer ${name} lost its lease`, { position: stored });
      return false;
    }
    stored = position;
    storedAt = Date.now();
    return true;
  }

  /** Whether the cursor moved. */
  async function drain(): Promise<boolean> {
    let moved = false;
    while (!stopped && (await lease()) && position !== null) {
      const from = position;
      const { position: to, hasMore, hasEffects } = await options.step(from);
      if (error !== null) options.log.warn(`consumer ${name} recovered`, { position: from });
      error = null;
      if (to === from) {
        await store(false);
        return moved;
      }
      position = to;
      moved = true;
      if (!(await store(hasEffects === true)) || !hasMore) return moved;
    }
    return moved;
  }

  async function run(): Promise<void> {
    while (!stopped) {
      pending = false;
      const startedAt = Date.now();
      let moved = false;
      try {
        moved = await drain();
      } catch (caught) {
        const message = caught instanceof Error ? caught.message : String(caught);
        if (error === null) options.log.warn(`consumer ${name} failed; retrying`, { error: message, position });
        error = message;
      }
      // The spacing between passes that handled something: cues wait for its end.
      if (moved) await wait((options.passSpacingMs ?? PASS_SPACING_MS) - (Date.now() - startedAt), false);
      await wait(options.tickMs, true);
    }
  }

  const running = run();
  return {
    wake() {
      pending = true;
      if (isCueable) endWait?.();
    },
    status: () => ({ name, holding, position, error }),
    async stop() {
      stopped = true;
      endWait?.();
      await running;
      // What was handled since the last write is written before the lease goes: the next holder starts after it.
      if (holding && (await store(true))) await releaseConsumer(db, name, owner);
      holding = false;
    },
  };
}
