import "server-only";
import { randomUUID } from "node:crypto";
import type { NextRequest } from "next/server";
import type { z } from "zod";
import { nextAuthUrl } from "@/lib/auth/server-config";
import { ErrorCode } from "@/lib/defix/errors";
import { rateLimiter } from "@/lib/rate-limit";
import { readBoundedJson } from "./body";
import { allowedOriginsFor, assertSameOrigin } from "./csrf";
import { BffError, errorResponse, unauthenticated } from "./errors";
import { type BffSession, readSession } from "./session";

type Schema = z.ZodType;
export type Out<S> = S extends Schema ? z.output<S> : undefined;
export type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };
export type RouteHandler = (req: NextRequest, routeContext: RouteContext) => Promise<Response>;

export interface SessionRouteOptions<
  P extends Schema | undefined,
  Q extends Schema | undefined,
  B extends Schema | undefined,
> {
  schema: { params?: P; query?: Q; body?: B };
  /**
   * Refuse cross-site requests (403 CSRF_REJECTED): every state-changing route, including the seed's
   * GETs that prepare session-key calldata (they create a pending key and an audit row, and a top-level
   * cross-site link would carry the SameSite=Lax cookie).
   */
  csrf?: boolean;
  /** Largest accepted request body; read incrementally and cut off past it (413). */
  bodyLimit?: number;
}

export interface SessionContext<P, Q, B> {
  req: NextRequest;
  params: P;
  query: Q;
  body: B;
  session: BffSession;
  requestId: string;
  /** The upstream path the handler called, for the access log (set by the upstream helpers). */
  noteUpstream(path: string): void;
}

const DEFAULT_BODY_LIMIT = 16 * 1024;
/**
 * Requests per signed-in address per minute through this dashboard (`BFF_RATE_LIMIT_PER_MIN`, 0 = off).
 * A busy console polls a handful of queries and holds its streams open, well under 100 a minute; the
 * budget stops one user (or a script with their cookie) from monopolising the dashboard and the OMS.
 */
const USER_BUDGET_PER_MIN = Number(process.env.BFF_RATE_LIMIT_PER_MIN ?? 1_200);
/** Same rule as the OMS (oms/api/http.ts), so a forwarded id is kept there too. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * The one wrapper every BFF route goes through: request id → same-origin check (when asked) →
 * session (401) → bounded body → zod validation of params, query and body (400) → the handler →
 * one access-log line, errors in the one shape `{ error: { code, message, request_id } }`.
 * `withOms` and `withRunner` add an upstream to it; routes the dashboard answers itself use it directly.
 */
export function withSession<
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  B extends Schema | undefined = undefined,
>(
  options: SessionRouteOptions<P, Q, B>,
  handler: (ctx: SessionContext<Out<P>, Out<Q>, Out<B>>) => Promise<Response>,
): RouteHandler {
  return async (req, routeContext) => {
    const incomingId = req.headers.get("x-request-id");
    const requestId = incomingId && REQUEST_ID.test(incomingId) ? incomingId : randomUUID();
    const startedAt = Date.now();
    let upstream = "-";
    try {
      if (options.csrf) assertSameOrigin(req.headers, allowedOriginsFor(req.headers, nextAuthUrl().origin));
      const session = await readSession(req);
      if (!session) throw unauthenticated();
      await takeFromUserBudget(session.address);
      const { params: paramsSchema, query: querySchema, body: bodySchema } = options.schema;
      const params = parse("path", paramsSchema, await routeContext.params) as Out<P>;
      const query = parse("query", querySchema, queryObject(req.nextUrl.searchParams)) as Out<Q>;
      const rawBody = bodySchema ? await readBoundedJson(req, options.bodyLimit ?? DEFAULT_BODY_LIMIT) : undefined;
      const body = parse("body", bodySchema, rawBody) as Out<B>;
      const noteUpstream = (path: string): void => {
        upstream = path;
      };
      const response = await handler({ req, params, query, body, session, requestId, noteUpstream });
      log(requestId, req.method, upstream, response.status, startedAt);
      if (!response.headers.has("x-request-id")) response.headers.set("x-request-id", requestId);
      return response;
    } catch (error) {
      const bffError = error instanceof BffError ? error : internalError(error);
      log(requestId, req.method, upstream, bffError.status, startedAt, bffError.code);
      return errorResponse(bffError, requestId);
    }
  };
}

/** A JSON answer the dashboard produces itself (no upstream): never cached. */
export function jsonResponse(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: { "cache-control": "no-store" } });
}

async function takeFromUserBudget(address: string): Promise<void> {
  if (!(USER_BUDGET_PER_MIN > 0)) return;
  const decision = await rateLimiter("bff:user", { limit: USER_BUDGET_PER_MIN, windowMs: 60_000 }).take(address);
  if (decision.ok) return;
  throw new BffError(
    429,
    ErrorCode.RATE_LIMITED,
    `Too many requests from this wallet; try again in ${decision.retryAfterSeconds} s.`,
    { limit: decision.limit, retry_after_seconds: decision.retryAfterSeconds },
  );
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

function internalError(error: unknown): BffError {
  console.error("[bff] unexpected error", error instanceof Error ? error.message : String(error));
  return new BffError(500, ErrorCode.INTERNAL, "Something went wrong in the dashboard server.");
}

function log(requestId: string, method: string, path: string, status: number, startedAt: number, code?: string): void {
  const line = { msg: "bff", request_id: requestId, method, upstream: path, status, ms: Date.now() - startedAt, code };
  console.log(JSON.stringify(line));
}
