import { SseParser } from "../../../lib/query/sse-parser";

/** One event as a `/defix/stream` client received it. */
export interface ReceivedEvent {
  event_id: string;
  intent_id: string;
  seq_num: number;
  position: number;
}

/** As received: plus its type, the event's own time (set in its appending transaction) and when it arrived here. */
export interface ArrivedEvent extends ReceivedEvent {
  message_type: string;
  created_at: string;
  arrivedAt: number;
}

export interface StreamClient {
  name: string;
  /** Every `intent_event` in arrival order, duplicates included. */
  received: ArrivedEvent[];
  /** Connections opened (the first and every reconnect). */
  connections(): number;
  /** `event: reset` frames: the server could not resume from the id sent (never expected here). */
  resets(): number;
  /** The last `id:` received (the position the next connect resumes after). */
  lastId(): number;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A vault-stream client pinned to one OMS process: it starts after position `after` and, whenever
 * the stream ends or the process is down, reconnects to the same URL with `Last-Event-ID` set to the
 * last id it received, as a browser's EventSource does (but retrying every 200 ms).
 */
export function startStreamClient(options: { name: string; url: string; token: string; after: number }): StreamClient {
  const received: ArrivedEvent[] = [];
  const controller = new AbortController();
  let lastId = options.after;
  let connections = 0;
  let resets = 0;

  async function readOnce(): Promise<void> {
    const response = await fetch(`${options.url}/defix/stream`, {
      headers: {
        accept: "text/event-stream",
        authorization: `Bearer ${options.token}`,
        "last-event-id": String(lastId),
      },
      signal: controller.signal,
    });
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      return;
    }
    connections++;
    const parser = new SseParser();
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      for (const message of parser.feed(value)) {
        if (message.event === "reset") resets++;
        if (message.event === "intent_event") {
          const arrivedAt = Date.now();
          const event = JSON.parse(message.data) as Omit<ArrivedEvent, "arrivedAt">;
          received.push({
            event_id: event.event_id,
            intent_id: event.intent_id,
            seq_num: event.seq_num,
            position: event.position,
            message_type: event.message_type,
            created_at: event.created_at,
            arrivedAt,
          });
        }
        if (message.id !== null && message.event !== "stream_closed") lastId = Number(message.id);
      }
    }
  }

  const running = (async () => {
    while (!controller.signal.aborted) {
      try {
        await readOnce();
      } catch (error) {
        // The process was SIGKILLed under the stream, or is not up yet: reconnect, like a browser.
        if (controller.signal.aborted) return;
        if (!(error instanceof Error)) throw error;
      }
      await sleep(200);
    }
  })();

  return {
    name: options.name,
    received,
    connections: () => connections,
    resets: () => resets,
    lastId: () => lastId,
    async close() {
      controller.abort();
      await running;
    },
  };
}

export interface StreamCheck {
  client: string;
  received: number;
  /** Copies of an event id already received (the resume should make this 0; de-duplication absorbs it). */
  duplicates: number;
  /** Events of the client's vaults committed after it started that it never received. */
  missed: number;
  /** After de-duplication, an intent whose events arrived out of seq order or with a hole. */
  outOfOrder: number;
  connections: number;
  resets: number;
}

/** Compares what one client received (de-duplicated by event id) with what the database holds for it. */
export function checkStream(client: StreamClient, expected: readonly ReceivedEvent[]): StreamCheck {
  const seen = new Set<string>();
  const lastSeq = new Map<string, number>();
  let duplicates = 0;
  let outOfOrder = 0;
  for (const event of client.received) {
    if (seen.has(event.event_id)) {
      duplicates++;
      continue;
    }
    seen.add(event.event_id);
    const previous = lastSeq.get(event.intent_id);
    // The first event a client sees of an intent may be past seq 1 only if the intent began before it started.
    if (previous !== undefined && event.seq_num !== previous + 1) outOfOrder++;
    lastSeq.set(event.intent_id, event.seq_num);
  }
  const missed = expected.filter((event) => !seen.has(event.event_id)).length;
  return {
    client: client.name,
    received: seen.size,
    duplicates,
    missed,
    outOfOrder,
    connections: client.connections(),
    resets: client.resets(),
  };
}
