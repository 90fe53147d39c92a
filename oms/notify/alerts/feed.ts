import type { Kysely } from "kysely";
import type { Logger } from "../../kernel/logger";
import type { Wakeup, WakeupSource } from "../../kernel/pg-listen";
import { serialRead } from "../../kernel/serial-read";
import type { Database } from "../../store/schema";
import { alertChangesHead } from "./changes";

/**
 * Cues that alert changes committed, in this process or another one. Listeners (the alert streams, the
 * webhook dispatcher) take a cue only as a reason to read `alert_changes` by position from where they
 * are, so a cue that is late, doubled or merged costs nothing but a read, and none is ever missed.
 */
export interface AlertFeed {
  subscribe(listener: () => void): () => void;
  /** This process committed changes up to `position` (the evaluator, routes): tell listeners now. */
  committed(position: number): void;
  close(): Promise<void>;
}

export interface AlertFeedOptions {
  db: Kysely<Database>;
  /** Other processes' commits: PostgreSQL NOTIFY on `ALERT_CHANNEL` from the counter update. */
  wakeups?: WakeupSource;
  /** Backstop: while someone listens, the head is read this often (a lost NOTIFY; SQLite writers elsewhere). */
  tickMs: number;
  log: Logger;
}

/**
 * Fires listeners when the alert-change head moves past what they were last told. The head is read on
 * a NOTIFY naming a position beyond it, on (re)connection of the listening connection, and on the tick.
 */
export function createAlertFeed(options: AlertFeedOptions): AlertFeed {
  const listeners = new Set<() => void>();
  /** The highest position listeners were told of (null: not read yet, the next read only sets it). */
  let told: number | null = null;
  let timer: NodeJS.Timeout | undefined;
  let wakeups: { close(): Promise<void> } | undefined;

  function fire(position: number): void {
    if (told !== null && position <= told) return;
    told = position;
    for (const listener of [...listeners]) {
      try {
        listener();
      } catch (error) {
        options.log.error("alert listener threw", { error: error instanceof Error ? error.message : String(error) });
      }
    }
  }

  const read = serialRead(async () => fire(await alertChangesHead(options.db)), {
    isWanted: () => listeners.size > 0,
    log: options.log,
    failureMessage: "alert head read failed",
  });

  function onWake(cue: Wakeup): void {
    if (cue.kind === "notified" && told !== null && Number(cue.payload) <= told) return;
    void read();
  }

  return {
    subscribe(listener) {
      listeners.add(listener);
      if (listeners.size === 1) {
        timer = setInterval(() => void read(), options.tickMs);
        timer.unref();
      }
      // Opened once, kept while the process runs: streams come and go.
      wakeups ??= options.wakeups?.start(onWake);
      void read();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && timer !== undefined) {
          clearInterval(timer);
          timer = undefined;
        }
      };
    },
    committed: (position) => fire(position),
    async close() {
      listeners.clear();
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      await wakeups?.close();
      wakeups = undefined;
    },
  };
}
