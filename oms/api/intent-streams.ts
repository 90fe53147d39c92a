import type { FastifyReply, FastifyRequest } from "fastify";
import type { IntentEvent, MessageType } from "../../lib/defix/events";
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
async function openGuardedStream(
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
export async function streamIntentEvents(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: StreamDeps,
  intent: { id: string; vault_id: string; seq_num: number; isTerminal: boolean },
  afterSeq: number,
): Promise<void> {
  let lastSent = afterSeq;
  let pumping: Promise<void> | null = null;
  let isPumpRequested = false;
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

  function requestPump(): void {
    if (pumping) {
      isPumpRequested = true;
      return;
    }
    pumping = drain()
      .catch((error: unknown) => {
        request.log.error({ err: error }, "intent event stream failed");
        stream.close();
      })
      .finally(() => {
        pumping = null;
        if (isPumpRequested && !stream.isClosed) {
          isPumpRequested = false;
          requestPump();
        }
      });
  }

  // Resuming after the end of a finished intent: nothing more will ever come.
  if (intent.isTerminal && afterSeq >= intent.seq_num) stream.close();
  else requestPump();
}

/**
 * Every appended event of the given vaults as SSE (the dashboard's live history). Events carry no
 * vault id, so each intent's vault is looked up once and remembered. No replay: a reconnecting
 * client refetches the list, then listens again. `vaultIds` is the stream's own set: the access
 * guard removes vaults whose role is lost, and their events stop here.
 */
export async function streamVaultEvents(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: StreamDeps,
  vaultIds: Set<string>,
): Promise<void> {
  const vaultOf = new Map<string, string | null>();
  let queue: Promise<void> = Promise.resolve();
  const stream = await openGuardedStream(request, reply, deps, vaultIds);

  async function forward(event: IntentEvent): Promise<void> {
    if (!vaultOf.has(event.intent_id)) {
      // Bounded: a day-long stream must not remember every intent it ever saw.
      if (vaultOf.size >= 10_000) vaultOf.clear();
      const intent = await deps.intents.get(event.intent_id);
      vaultOf.set(event.intent_id, intent?.vault_id ?? null);
    }
    const vaultId = vaultOf.get(event.intent_id);
    if (!vaultId || !vaultIds.has(vaultId)) return;
    stream.send({
      id: `${event.intent_id}:${event.seq_num}`,
      event: "intent_event",
      data: { ...event, vault_id: vaultId },
    });
  }

  // Serialised so events leave in the order they arrived even when a vault lookup is slow.
  const unsubscribe = deps.intents.subscribe((event) => {
    queue = queue
      .then(() => forward(event))
      .catch((error: unknown) => request.log.error({ err: error }, "vault event stream failed"));
  });
  stream.onClose(unsubscribe);
}
