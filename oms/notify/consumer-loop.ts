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
  /** Where a consumer that never ran starts (0: from the first event; a function: read when the lease is taken). */
  initialPosition: number | (() => Promise<number>);
  /**
   * Handles what follows `position` (one page). Throws when it could handle nothing (the loop logs once per
   * outage and retries). A step whose effects are rows of its own store writes the cursor with them (`cursor`).
   */
  step(position: number, cursor: CursorWriter): Promise<StepResult>;
  /** Extra work after each pass while this process holds the lease (log retention); a failure counts as the pass's. */
  afterPass?: () => Promise<void>;
  log: Logger;
}

/**
 * For a step that writes its effects to the consumer's own database (webhook deliveries): the cursor advance goes
 * into the same transaction, so a crash neither loses the page's effects nor writes them twice.
 */
export interface CursorWriter {
  /** Advances the stored cursor to `position` in `trx`; throws `LeaseLost` (rolling it back) when the lease is gone. */
  writeIn(trx: Kysely<Database>, position: number): Promise<void>;
}

/** The lease moved to another process: it resumes from the stored cursor, re-handling what followed it. */
export class LeaseLost extends Error {
  constructor(name: string) {
    super(`consumer ${name} lost its lease`);
  }
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
    const { initialPosition } = options;
    const taken = await leaseConsumer(db, {
      name,
      owner,
      now: new Date(now),
      leaseMs: options.leaseMs,
      // Used only when the cursor row does not exist yet. While holding, it does (the head is not read again on
      // each renewal); should it have been removed, the loop's own position is where it goes on.
      initialPosition:
        holding && position !== null
          ? position
          : typeof initialPosition === "number"
            ? initialPosition
            : await initialPosition(),
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
      loseLease();
      return false;
    }
    stored = position;
    storedAt = Date.now();
    return true;
  }

  function loseLease(): void {
    holding = false;
    options.log.warn(`consumer ${name} lost its lease`, { position: stored });
  }

  /** The cursor a step wrote in its own transaction during the current step (applied once the step returns). */
  let writtenInStep: number | null = null;
  const cursor: CursorWriter = {
    async writeIn(trx, to) {
      if (!(await advanceConsumer(trx, { name, owner, position: to, now: new Date() }))) throw new LeaseLost(name);
      writtenInStep = to;
    },
  };

  /** Whether the cursor moved. */
  async function drain(): Promise<boolean> {
    let moved = false;
    while (!stopped && (await lease()) && position !== null) {
      const from = position;
      writtenInStep = null;
      const { position: to, hasMore, hasEffects } = await options.step(from, cursor);
      if (writtenInStep !== null) {
        stored = writtenInStep;
        storedAt = Date.now();
      }
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
        if (holding && !stopped) await options.afterPass?.();
      } catch (caught) {
        // A lost lease is not a failure: the next lease attempt (a cue or the tick) finds who holds it now.
        if (caught instanceof LeaseLost) loseLease();
        else {
          const message = caught instanceof Error ? caught.message : String(caught);
          if (error === null) options.log.warn(`consumer ${name} failed; retrying`, { error: message, position });
          error = message;
        }
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
