import "server-only";
import { randomUUID } from "node:crypto";
import type { NextRequest } from "next/server";
import type { z } from "zod";
import { nextAuthUrl } from "@/lib/auth/server-config";
import { ErrorCode } from "@/lib/defix/errors";
import { allowedOriginsFor, assertSameOrigin } from "./csrf";
import { BffError, errorResponse, unauthenticated } from "./errors";
import { readSession } from "./session";

/**
 * The strategy runner's sibling of `withOms`: same session, CSRF, validation and error shape, but the
 * upstream is RUNNER_URL and only the runner's three routes can be reached (`withOms` pins `/defix/`).
 */
type Schema = z.ZodType;
type Out<S> = S extends Schema ? z.output<S> : undefined;
type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };

export interface RunnerCall {
  method: "GET" | "PUT";
  /** One of the runner's routes, built from validated values by `runnerPath`. */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
}

export interface RunnerContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  runner(call: RunnerCall): Promise<Response>;
}

const TIMEOUT_MS = 10_000;
const MAX_BODY_BYTES = 4 * 1024;

export function runnerUrl(): string {
  return (process.env.RUNNER_URL ?? "http://127.0.0.1:8788").replace(/\/+$/, "");
}

/** Fixed route templates; every value is percent-encoded as one segment, so nothing can climb out. */
export const runnerPath = {
  strategies: () => "/strategies",
  strategyState: (strategyId: string) => `/strategies/${encodeURIComponent(strategyId)}/state`,
  killSwitch: (vaultId: string) => `/vaults/${encodeURIComponent(vaultId)}/kill-switch`,
};

export function withRunner<
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  B extends Schema | undefined = undefined,
>(
  options: { schema: { params?: P; query?: Q; body?: B }; csrf?: boolean },
  handler: (ctx: RunnerContext<Out<P>, Out<Q>, Out<B>>) => Promise<Response>,
): (req: NextRequest, routeContext: RouteContext) => Promise<Response> {
  return async (req, routeContext) => {
    const requestId = randomUUID();
    try {
      if (options.csrf) assertSameOrigin(req.headers, allowedOriginsFor(req.headers, nextAuthUrl().origin));
      const session = await readSession(req);
      if (!session) throw unauthenticated();
      const params = parse(options.schema.params, await routeContext.params) as Out<P>;
      const query = parse(options.schema.query, Object.fromEntries(req.nextUrl.searchParams)) as Out<Q>;
      const body = parse(options.schema.body, options.schema.body ? await readJson(req) : undefined) as Out<B>;
      const runner = (call: RunnerCall) => callRunner(call, session.omsToken, requestId);
      return await handler({ params, query, body, runner });
    } catch (error) {
      const bffError = error instanceof BffError ? error : internal(error);
      return errorResponse(bffError, requestId);
    }
  };
}

async function callRunner(call: RunnerCall, token: string, requestId: string): Promise<Response> {
  const url = new URL(call.path, runnerUrl());
  if (call.query) url.search = new URLSearchParams(call.query).toString();
  let upstream: Response;
  try {
    upstream = await fetch(url, {
      method: call.method,
      headers: {
        authorization: `Bearer ${token}`,
        "x-request-id": requestId,
        accept: "application/json",
        ...(call.body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
      redirect: "manual",
      cache: "no-store",
    });
    const text = await upstream.text();
    return new Response(text, {
      status: upstream.status,
      headers: { "content-type": "application/json", "cache-control": "no-store", "x-request-id": requestId },
    });
  } catch (error) {
    const isTimeout = error instanceof Error && error.name === "TimeoutError";
    if (isTimeout) throw new BffError(504, ErrorCode.UPSTREAM_TIMEOUT, "The strategy runner did not answer in time.");
    throw new BffError(502, ErrorCode.UPSTREAM_UNAVAILABLE, "The strategy runner is unreachable right now.");
  }
}

function parse(schema: Schema | undefined, value: unknown): unknown {
  if (!schema) return value;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new BffError(400, ErrorCode.VALIDATION_FAILED, `Invalid request: ${issue?.message ?? "invalid input"}`);
}

async function readJson(req: NextRequest): Promise<unknown> {
  const text = await req.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new BffError(413, ErrorCode.PAYLOAD_TOO_LARGE, "Body too large");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BffError(400, ErrorCode.INVALID_JSON, "The request body is not valid JSON");
  }
}

function internal(error: unknown): BffError {
  console.error("[bff:runner] unexpected error", error instanceof Error ? error.message : String(error));
  return new BffError(500, ErrorCode.INTERNAL, "Something went wrong in the dashboard server.");
}
