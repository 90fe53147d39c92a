import type { FastifyReply, FastifyRequest } from "fastify";
import type { MessageType } from "../../lib/defix/events";
import type { IntentService } from "./ports";
import { type EventStream, openEventStream, type StreamRegistry } from "./sse";
import { guardStreamAccess } from "./stream-access";
import type { StreamSlots } from "./stream-slots";

export interface StreamDeps {
  intents: IntentService;
  streams: StreamRegistry;
  heartbeatMs: number;
  /** How often an open stream re-checks the caller's roles. */
  reauthMs: number;
  slots: StreamSlots;
}

/**
 * Takes one of the caller's stream slots (429 TOO_MANY_STREAMS when none is free), opens the SSE
 * response, and keeps it authorized: `vaultIds` shrinks as roles are lost (see stream-access.ts).
 */
export async function openGuardedStream(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: StreamDeps,
  vaultIds: Set<string>,
  onTick?: () => void,
): Promise<EventStream> {
  const release = await deps.slots.acquire(request);
  const stream = openEventStream(request, reply, {
    heartbeatMs: deps.heartbeatMs,
    registry: deps.streams,
    onTick,
  });
  stream.onClose(release);
  guardStreamAccess(request, stream, vaultIds, deps.reauthMs);
  return stream;
}

const TERMINAL_MESSAGES: ReadonlySet<MessageType> = new Set([
  "INTENT_COMPLETED",
  "INTENT_ABORTED",
  "INTENT_EXPIRED",
  "INTENT_FAILED",
  "INTENT_CANCELED",
]);
const PAGE = 500;

/**
 * One intent's events as SSE, starting after `afterSeq`. The store is the only source of what is
 * sent: a notification just triggers reading the next page, so events arrive gapless and in
 * order however notifications interleave. Ends once the terminal event has been sent.
 */
/**
 * Runs `drain` one at a time: a request while it runs queues exactly one more run (however many arrive),
 * so a burst of notifications costs at most two reads and nothing is missed.
 */
function coalesced(drain: () => Promise<void>, isOpen: () => boolean, onError: (error: unknown) => void): () => void {
  let running: Promise<void> | null = null;
  let isQueued = false;
  const run = (): void => {
    if (running) {
      isQueued = true;
      return;
    }
    running = drain()
      .catch(onError)
      .finally(() => {
        running = null;
        if (isQueued && isOpen()) {
          isQueued = false;
          run();
        }
      });
  };
  return run;
}

export async function streamIntentEvents(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: StreamDeps,
  intent: { id: string; vault_id: string; seq_num: number; isTerminal: boolean },
  afterSeq: number,
): Promise<void> {
  let lastSent = afterSeq;
  const stream = await openGuardedStream(request, reply, deps, new Set([intent.vault_id]), () => requestPump());
  const unsubscribe = deps.intents.subscribe((event) => {
    if (event.intent_id === intent.id) requestPump();
  });
  stream.onClose(unsubscribe);

  async function drain(): Promise<void> {
    while (!stream.isClosed) {
      const page = await deps.intents.events(intent.id, lastSent, PAGE);
      for (const event of page) {
        if (event.seq_num <= lastSent) continue;
        stream.send({ id: String(event.seq_num), event: "intent_event", data: event });
        lastSent = event.seq_num;
        if (TERMINAL_MESSAGES.has(event.message_type)) return stream.close();
      }
      if (page.length < PAGE) return;
    }
  }

  const requestPump = coalesced(
    drain,
    () => !stream.isClosed,
    (error) => {
      request.log.error({ err: error }, "intent event stream failed");
      stream.close();
    },
  );

  // Resuming after the end of a finished intent: nothing more will ever come.
  if (intent.isTerminal && afterSeq >= intent.seq_num) stream.close();
  else requestPump();
}

/** Where a vault stream starts: after a position the client saw, or (none given) at the current head. */
export type StreamStart = { after: number } | { after: "head" } | { after: "reset"; reason: string };

/**
 * Every committed event of the given vaults as SSE (the dashboard's live history), by global
 * position: `id` is the position, so a reconnect with `Last-Event-ID` (or `?after=`) first receives
 * every event it missed, then live ones, in position order and never twice. Like the per-intent
 * stream, the store is the only source of what is sent; a notification (this process's bus, which
 * also relays other processes' commits, or the heartbeat tick) only triggers the next read. A
 * position beyond the head (another database, or a restore) cannot be resumed from: the stream sends
 * `event: reset` (id = the head) and goes on live from the head; the client refetches.
 * `vaultIds` is the stream's own set: the access guard removes vaults whose role is lost, and their
 * events stop here.
 */
export async function streamVaultEvents(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: StreamDeps,
  vaultIds: Set<string>,
  start: StreamStart,
): Promise<void> {
  const head = await deps.intents.headPosition();
  let lastSent = typeof start.after === "number" && start.after <= head ? start.after : head;
  const stream = await openGuardedStream(request, reply, deps, vaultIds, () => requestPump());
  const unsubscribe = deps.intents.subscribe(() => requestPump());
  stream.onClose(unsubscribe);

  async function drain(): Promise<void> {
    while (!stream.isClosed && vaultIds.size > 0) {
      const page = await deps.intents.eventsAfter(lastSent, [...vaultIds], PAGE);
      for (const event of page) {
        const position = event.position ?? 0;
        if (position <= lastSent || stream.isClosed) continue;
        // The set may have shrunk while the page was read.
        if (vaultIds.has(event.vault_id)) stream.send({ id: String(position), event: "intent_event", data: event });
        lastSent = position;
      }
      if (page.length < PAGE) return;
    }
  }

  const requestPump = coalesced(
    drain,
    () => !stream.isClosed,
    (error) => {
      request.log.error({ err: error }, "vault event stream failed");
      stream.close();
    },
  );

  if (start.after === "reset" || (typeof start.after === "number" && start.after > head)) {
    const reason = start.after === "reset" ? start.reason : `position ${start.after} is beyond the head ${head}`;
    stream.send({ id: String(head), event: "reset", data: { head, message: `${reason}: refetch, then listen` } });
  }
  requestPump();
}
