import { type SseMessage, SseParser } from "./sse-parser";

/** The event the OMS sends when its periodic role re-check drops vaults from an open stream (no id, no replay). */
export const ACCESS_CHANGED_EVENT = "access_changed";

export type StreamStatus = "connecting" | "live" | "reconnecting";

export interface SseOptions {
  /** Called before each (re)connect, so the caller can resume from what it already holds. */
  url: () => string;
  /** The id to resume after; without it, the last `id:` this connection's stream sent (what EventSource does). */
  lastEventId?: () => string | null;
  /** False: every reconnect starts at the head (a caller that refetches on connect wants no replay). */
  resume?: boolean;
  onMessage: (message: SseMessage) => void;
  onStatus: (status: StreamStatus, failures: number) => void;
}

const BACKOFF_MS = [1000, 2000, 5000, 10_000];

/**
 * Reads a BFF event stream with fetch rather than EventSource: it sees HTTP statuses (502 when the
 * OMS is down), sends `Last-Event-ID` on every reconnect, and accepts any `event:` name. Reconnects
 * with backoff until closed. Returns the close function.
 */
export function connectSse(options: SseOptions): () => void {
  const controller = new AbortController();
  let failures = 0;
  let lastSeenId: string | null = null;
  const tracked: SseOptions = {
    ...options,
    lastEventId: () => (options.resume === false ? null : (options.lastEventId?.() ?? lastSeenId)),
    onMessage: (message) => {
      if (message.id !== null) lastSeenId = message.id;
      options.onMessage(message);
    },
  };

  const run = async () => {
    while (!controller.signal.aborted) {
      options.onStatus(failures === 0 ? "connecting" : "reconnecting", failures);
      try {
        await readOnce(tracked, controller.signal, () => {
          failures = 0;
          options.onStatus("live", 0);
        });
      } catch (error) {
        if (controller.signal.aborted) return;
        // Any failure (network, 5xx, stream cut) is retried; the status line tells the user.
        if (!(error instanceof Error)) throw error;
      }
      if (controller.signal.aborted) return;
      failures += 1;
      options.onStatus("reconnecting", failures);
      await sleep(BACKOFF_MS[Math.min(failures - 1, BACKOFF_MS.length - 1)] ?? 10_000, controller.signal);
    }
  };
  void run().catch((error: unknown) => console.error("event stream stopped", error));
  return () => controller.abort();
}

async function readOnce(options: SseOptions, signal: AbortSignal, onOpen: () => void): Promise<void> {
  const headers: Record<string, string> = { accept: "text/event-stream" };
  const lastId = options.lastEventId?.();
  if (lastId) headers["last-event-id"] = lastId;
  const response = await fetch(options.url(), { headers, signal, cache: "no-store" });
  const type = response.headers.get("content-type") ?? "";
  if (!response.ok || !response.body || !type.includes("text/event-stream")) {
    await response.body?.cancel();
    throw new Error(`event stream answered ${response.status}`);
  }
  onOpen();
  const parser = new SseParser();
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error("event stream ended");
    for (const message of parser.feed(value)) options.onMessage(message);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
