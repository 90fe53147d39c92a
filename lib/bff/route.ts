import "server-only";
import type { z } from "zod";
import { omsUrl } from "@/lib/auth/server-config";
import { type Out, type RouteHandler, type SessionContext, type SessionRouteOptions, withSession } from "./handler";
import { omsPath, toSearchParams, upstreamUrl } from "./path";
import { checkedEvents, type EventSchemas } from "./sse-check";
import { releaseWhenDone, sharedStreamSlots } from "./stream-slots";
import { callUpstream, streamUpstream, type UpstreamAnswer } from "./upstream";
import { checkedBody } from "./validated";

type Schema = z.ZodType;

export interface WithOmsOptions<
  P extends Schema | undefined,
  Q extends Schema | undefined,
  B extends Schema | undefined,
> extends SessionRouteOptions<P, Q, B> {
  timeoutMs?: number;
}

interface OmsCallBase {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Literal segments and validated values; joined and encoded by `omsPath`. */
  path: readonly string[];
  query?: Record<string, unknown>;
  body?: unknown;
}

/**
 * A JSON call names the `lib/defix` schema of its success answer (checked here, so the browser need not);
 * an SSE stream names the schema of each event it carries (checked frame by frame, see `checkedEvents`);
 * streams and file downloads are passed through unbuffered, counted against the user's open-stream cap.
 */
export type OmsCall = OmsCallBase &
  (
    | { response: Schema; isStream?: never; isDownload?: never }
    | { isStream: true; events: EventSchemas; response?: never; isDownload?: never }
    | { isDownload: true; response?: never; isStream?: never }
  );

export interface BffContext<P, Q, B> extends SessionContext<P, Q, B> {
  oms(call: OmsCall): Promise<Response>;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * `withSession` with the OMS as upstream: every `app/api/oms/**` handler goes through it. Upstream
 * calls carry the user's bearer token; the OMS decides authorization per request, this wrapper only
 * makes sure there is a signed-in user behind every call and nothing leaves the `/defix/` tree.
 */
export function withOms<
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  B extends Schema | undefined = undefined,
>(
  options: WithOmsOptions<P, Q, B>,
  handler: (ctx: BffContext<Out<P>, Out<Q>, Out<B>>) => Promise<Response>,
): RouteHandler {
  return withSession(options, (ctx) => {
    const oms = async (call: OmsCall): Promise<Response> => {
      const path = omsPath(call.path);
      ctx.noteUpstream(path);
      const request = {
        url: upstreamUrl(omsUrl(), path, toSearchParams(call.query)),
        method: call.method ?? "GET",
        token: ctx.session.omsToken,
        requestId: ctx.requestId,
        body: call.body,
        timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        clientSignal: ctx.req.signal,
      };
      if (call.isStream !== true && call.isDownload !== true) {
        return jsonAnswer(await callUpstream(request), call.response, "OMS");
      }
      const release = sharedStreamSlots().acquire(ctx.session.address);
      try {
        const upstream = await streamUpstream({
          ...request,
          accept: call.isDownload ? "*/*" : undefined,
          lastEventId: ctx.req.headers.get("last-event-id"),
        });
        if (upstream.ok && upstream.body) {
          const checked = call.isStream ? upstream.body.pipeThrough(checkedEvents(call.events, "OMS")) : upstream.body;
          const body = releaseWhenDone(checked, release);
          return call.isDownload ? downloadResponse(upstream, body) : streamResponse(body);
        }
        release();
        return errorPassthrough(upstream);
      } catch (error) {
        release();
        throw error;
      }
    };
    return handler({ ...ctx, oms });
  });
}

/**
 * Upstream status and JSON body (a success body checked against `schema` first: a mismatch is a 502
 * UPSTREAM_INVALID); only the headers the browser needs are kept.
 */
export function jsonAnswer(answer: UpstreamAnswer, schema: Schema, service: string): Response {
  return new Response(checkedBody(answer.text, answer.status, schema, service), {
    status: answer.status,
    headers: passedHeaders(answer.contentType, answer.retryAfter),
  });
}

/** A stream or download the upstream refused: its status and (error) body as they are, with the same headers. */
function errorPassthrough(upstream: Response): Response {
  return new Response(upstream.body, {
    status: upstream.status,
    headers: passedHeaders(upstream.headers.get("content-type"), upstream.headers.get("retry-after")),
  });
}

/** The only upstream headers a JSON answer keeps; it is never cached. */
function passedHeaders(contentType: string | null, retryAfter: string | null): Record<string, string> {
  const headers: Record<string, string> = {
    "content-type": contentType ?? "application/json",
    "cache-control": "no-store",
  };
  if (retryAfter !== null) headers["retry-after"] = retryAfter;
  return headers;
}

/** Download passthrough: chunk by chunk, with the upstream's type and `attachment` filename only. */
function downloadResponse(upstream: Response, body: ReadableStream<Uint8Array>): Response {
  const headers: Record<string, string> = {
    "content-type": upstream.headers.get("content-type") ?? "application/octet-stream",
    "cache-control": "no-store",
    "x-accel-buffering": "no",
  };
  const disposition = upstream.headers.get("content-disposition");
  if (disposition?.startsWith("attachment;")) headers["content-disposition"] = disposition;
  return new Response(body, { status: 200, headers });
}

/** SSE passthrough: the upstream body is handed on chunk by chunk; cancelling it closes the upstream socket. */
function streamResponse(body: ReadableStream<Uint8Array>): Response {
  return new Response(body, {
    status: 200,
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
}
