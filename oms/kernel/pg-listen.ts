import pg from "pg";
import type { Logger } from "./logger";

/** A source of wake-ups: `start` begins delivering them to `onWake` until the returned `close`. */
export interface WakeupSource {
  start(onWake: (cue: Wakeup) => void): { close(): Promise<void> };
}

/**
 * `notified`: a NOTIFY arrived with its payload (what the writer committed). `connected`: the
 * listening connection (re)opened, and anything committed while it was down was not announced, so
 * the reader catches up by reading the store.
 */
export type Wakeup = { kind: "notified"; payload: string } | { kind: "connected" };

const MIN_RETRY_MS = 100;
const MAX_RETRY_MS = 5_000;

/**
 * PostgreSQL LISTEN on one dedicated connection (a pooled client would be handed to queries and
 * lose its LISTEN). A lost connection (pg_terminate_backend, a server restart) is logged and
 * reopened with backoff; the process never crashes on it. After every (re)connect the caller gets
 * `connected`, because notifications sent while nobody listened are gone for good.
 */
export function pgListener(options: { connectionString: string; channel: string; log: Logger }): WakeupSource {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(options.channel)) throw new Error(`bad channel name ${options.channel}`);
  return {
    start(onWake) {
      let client: pg.Client | undefined;
      let isClosed = false;
      let retryMs = MIN_RETRY_MS;
      let retryTimer: NodeJS.Timeout | undefined;

      const scheduleReconnect = (reason: string) => {
        if (isClosed || retryTimer !== undefined) return;
        options.log.warn("event notifications: listening connection lost, reconnecting", {
          reason,
          retry_ms: retryMs,
        });
        retryTimer = setTimeout(() => {
          retryTimer = undefined;
          void connect();
        }, retryMs);
        retryTimer.unref();
        retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
      };

      // Only the current connection's first sign of loss counts: `error` and `end` both fire, and an
      // older connection's late event must not open a second one.
      const lose = (lost: pg.Client, reason: string) => {
        if (client !== lost) return;
        client = undefined;
        void endQuietly(lost, options.log);
        scheduleReconnect(reason);
      };

      async function connect(): Promise<void> {
        // Named so an operator (or a test) can tell this connection apart in pg_stat_activity.
        const next = new pg.Client({
          connectionString: options.connectionString,
          application_name: listenerApplicationName(options.channel),
        });
        client = next;
        // Without an error listener a lost idle connection is an uncaught exception.
        next.on("error", (error) => lose(next, error.message));
        next.on("end", () => lose(next, "connection ended"));
        next.on("notification", (message) => {
          if (message.channel === options.channel) onWake({ kind: "notified", payload: message.payload ?? "" });
        });
        try {
          await next.connect();
          await next.query(`LISTEN ${options.channel}`);
        } catch (error) {
          lose(next, error instanceof Error ? error.message : String(error));
          return;
        }
        if (isClosed) {
          await endQuietly(next, options.log);
          return;
        }
        retryMs = MIN_RETRY_MS;
        onWake({ kind: "connected" });
      }

      void connect();
      return {
        async close() {
          isClosed = true;
          if (retryTimer !== undefined) clearTimeout(retryTimer);
          const open = client;
          client = undefined;
          if (open !== undefined) await endQuietly(open, options.log);
        },
      };
    },
  };
}

/** The `application_name` the listening connection of `channel` shows in `pg_stat_activity`. */
export function listenerApplicationName(channel: string): string {
  return `defix-listen-${channel}`;
}

/** Ends a connection that may already be broken; a failure to close it is only worth a line in the log. */
async function endQuietly(client: pg.Client, log: Logger): Promise<void> {
  try {
    await client.end();
  } catch (error) {
    log.warn("event notifications: closing the listening connection failed", {
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
