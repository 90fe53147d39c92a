import "server-only";
import { randomUUID } from "node:crypto";
import type { NextRequest } from "next/server";
import type { z } from "zod";
import { nextAuthUrl, omsUrl } from "@/lib/auth/server-config";
import { ErrorCode } from "@/lib/defix/errors";
import { allowedOriginsFor, assertSameOrigin } from "./csrf";
import { BffError, errorResponse, unauthenticated } from "./errors";
import { omsPath, toSearchParams, upstreamUrl } from "./path";
import { type BffSession, readSession } from "./session";
import { callUpstream } from "./upstream";

type Schema = z.ZodType;
type Out<S> = S extends Schema ? z.output<S> : undefined;

export interface WithOmsOptions<
  P extends Schema | undefined,
  Q extends Schema | undefined,
  B extends Schema | undefined,
> {
  schema: { params?: P; query?: Q; body?: B };
  /** State-changing route: refuse cross-site requests (403 CSRF_REJECTED). */
  csrf?: boolean;
  timeoutMs?: number;
}

export interface OmsCall {
  method?: "GET" | "POST";
  /** Literal segments and validated values; joined and encoded by `omsPath`. */
  path: readonly string[];
  query?: Record<string, unknown>;
  body?: unknown;
  /** Pass an SSE body through unbuffered. */
  isStream?: boolean;
}

export interface BffContext<P, Q, B> {
  req: NextRequest;
  params: P;
  query: Q;
  body: B;
  session: BffSession;
  requestId: string;
  oms(call: OmsCall): Promise<Response>;
}

type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };

const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_BODY_BYTES = 16 * 1024;
/** Same rule as the OMS (oms/api/http.ts), so a forwarded id is kept there too. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * The one wrapper every `app/api/oms/**` handler goes through: request id → CSRF (when asked) →
 * session (401) → zod validation of params, query and body (400) → the handler, whose upstream calls
 * carry the user's bearer token. The OMS decides authorization per request; this wrapper only makes
 * sure there is a signed-in user behind every call.
 */
export function withOms<
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  B extends Schema | undefined = undefined,
>(
  options: WithOmsOptions<P, Q, B>,
  handler: (ctx: BffContext<Out<P>, Out<Q>, Out<B>>) => Promise<Response>,
): (req: NextRequest, routeContext: RouteContext) => Promise<Response> {
  return async (req, routeContext) => {
    const incomingId = req.headers.get("x-request-id");
    const requestId = incomingId && REQUEST_ID.test(incomingId) ? incomingId : randomUUID();
    const startedAt = Date.now();
    let upstreamPath = "-";
    try {
      if (options.csrf) assertSameOrigin(req.headers, allowedOriginsFor(req.headers, nextAuthUrl().origin));
      const session = await readSession(req);
      if (!session) throw unauthenticated();
      const params = parse("path", options.schema.params, await routeContext.params) as Out<P>;
      const query = parse("query", options.schema.query, queryObject(req.nextUrl.searchParams)) as Out<Q>;
      const body = parse("body", options.schema.body, options.schema.body ? await readJson(req) : undefined) as Out<B>;
      const oms = async (call: OmsCall): Promise<Response> => {
        const path = omsPath(call.path);
        upstreamPath = path;
        const upstream = await callUpstream({
          url: upstreamUrl(omsUrl(), path, toSearchParams(call.query)),
          method: call.method ?? "GET",
          token: session.omsToken,
          requestId,
          body: call.body,
          isStream: call.isStream,
          lastEventId: req.headers.get("last-event-id"),
          timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
          clientSignal: req.signal,
        });
        return call.isStream && upstream.ok
          ? streamResponse(upstream, requestId)
          : jsonPassthrough(upstream, requestId);
      };
      const response = await handler({ req, params, query, body, session, requestId, oms });
      log(requestId, req.method, upstreamPath, response.status, startedAt);
      return response;
    } catch (error) {
      const bffError = error instanceof BffError ? error : internalError(error);
      log(requestId, req.method, upstreamPath, bffError.status, startedAt, bffError.code);
      return errorResponse(bffError, requestId);
    }
  };
}

function parse(location: string, schema: Schema | undefined, value: unknown): unknown {
  if (!schema) return value;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${location}.${issue.path.join(".")}` : location;
  const issues = result.error.issues.map((i) => ({ location, path: i.path.join("."), message: i.message }));
  throw new BffError(400, ErrorCode.VALIDATION_FAILED, `Invalid ${where}: ${issue?.message ?? "invalid input"}`, {
    issues,
  });
}

/** Repeated keys become arrays (`state=A&state=B`), single keys stay strings. */
function queryObject(search: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(search.keys())) {
    const values = search.getAll(key);
    out[key] = values.length === 1 ? values[0]! : values;
  }
  return out;
}

async function readJson(req: NextRequest): Promise<unknown> {
  const text = await req.text();
  if (text === "") return undefined;
  if (Buffer.byteLength(text) > MAX_BODY_BYTES)
    throw new BffError(413, ErrorCode.PAYLOAD_TOO_LARGE, "Request body too large");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BffError(400, ErrorCode.INVALID_JSON, "The request body is not valid JSON");
  }
}

/** Upstream status and JSON body as they are; only the headers the browser needs are kept. */
function jsonPassthrough(upstream: Response, requestId: string): Response {
  return new Response(upstream.body, {
    status: upstream.status,
    headers: {
      "content-type": upstream.headers.get("content-type") ?? "application/json",
      "cache-control": "no-store",
      "x-request-id": requestId,
    },
  });
}

/** SSE passthrough: the upstream body is handed on chunk by chunk; cancelling it closes the upstream socket. */
function streamResponse(upstream: Response, requestId: string): Response {
  return new Response(upstream.body, {
    status: upstream.status,
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
      "x-request-id": requestId,
    },
  });
}

function internalError(error: unknown): BffError {
  console.error("[bff] unexpected error", error instanceof Error ? error.message : String(error));
  return new BffError(500, ErrorCode.INTERNAL, "Something went wrong in the dashboard server.");
}

function log(requestId: string, method: string, path: string, status: number, startedAt: number, code?: string): void {
  const line = { msg: "bff", request_id: requestId, method, upstream: path, status, ms: Date.now() - startedAt, code };
  console.log(JSON.stringify(line));
}
