import type { FastifyReply, FastifyRequest } from "fastify";
import type { ErrorCode } from "../../lib/defix/errors";

export interface EventStream {
  send(event: { id?: string; event: string; data: unknown }): void;
  comment(text: string): void;
  close(): void;
  /**
   * Ends the stream with a last `event: stream_closed` frame (`{code, message}`), so a client knows the
   * server ended it on purpose: it reconnects and is then refused or asked to sign in again.
   */
  closeWith(reason: StreamClosedReason): void;
  /** Shutdown: end the stream and drop its socket without waiting for the client. */
  terminate(): void;
  readonly isClosed: boolean;
  /** Runs once when the stream ends, whoever ended it (client gone, server closed, app shutdown). */
  onClose(listener: () => void): void;
}

export interface StreamClosedReason {
  code: ErrorCode;
  message: string;
}

/** Whether the caller asked for Server-Sent Events rather than JSON. */
export function wantsEventStream(request: FastifyRequest): boolean {
  return (request.headers.accept ?? "").toLowerCase().includes("text/event-stream");
}

/**
 * Takes the response over from fastify and writes SSE frames. A heartbeat comment keeps proxies
 * from closing an idle stream; `onTick` runs with it so a missed notification is caught up.
 */
export function openEventStream(
  request: FastifyRequest,
  reply: FastifyReply,
  options: { heartbeatMs: number; registry: StreamRegistry; onTick?: () => void },
): EventStream {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache, no-transform",
    // A stream ends only when one side gives up; reusing its socket buys nothing and can stall shutdown.
    connection: "close",
    "x-accel-buffering": "no",
    "x-request-id": request.id,
  });
  // Lets a reconnecting EventSource wait briefly instead of hammering the server.
  res.write("retry: 2000\n\n");
  let isClosed = false;
  const listeners: Array<() => void> = [];
  const heartbeat = setInterval(() => {
    stream.comment("heartbeat");
    options.onTick?.();
  }, options.heartbeatMs);
  const finish = () => {
    if (isClosed) return;
    isClosed = true;
    clearInterval(heartbeat);
    for (const listener of listeners.splice(0)) listener();
  };
  res.on("close", finish);

  const stream: EventStream = {
    get isClosed() {
      return isClosed;
    },
    send({ id, event, data }) {
      if (isClosed) return;
      const lines = [id === undefined ? null : `id: ${id}`, `event: ${event}`, `data: ${JSON.stringify(data)}`];
      res.write(`${lines.filter((line) => line !== null).join("\n")}\n\n`);
    },
    comment(text) {
      if (!isClosed) res.write(`: ${text}\n\n`);
    },
    close() {
      if (isClosed) return;
      res.end();
      finish();
    },
    closeWith(reason) {
      stream.send({ event: "stream_closed", data: reason });
      stream.close();
    },
    terminate() {
      stream.close();
      res.destroy();
    },
    onClose(listener) {
      if (isClosed) listener();
      else listeners.push(listener);
    },
  };
  options.registry.add(stream);
  return stream;
}

/** Open streams, so shutdown can end them: an open SSE response would otherwise hold `close()` forever. */
export interface StreamRegistry {
  add(stream: EventStream): void;
  closeAll(): void;
  readonly size: number;
}

export function createStreamRegistry(): StreamRegistry {
  const open = new Set<EventStream>();
  return {
    add(stream) {
      open.add(stream);
      stream.onClose(() => open.delete(stream));
    },
    closeAll() {
      for (const stream of [...open]) stream.terminate();
    },
    get size() {
      return open.size;
    },
  };
}
