import "server-only";
import type { z } from "zod";
import { type Out, type RouteHandler, type SessionContext, type SessionRouteOptions, withSession } from "./handler";
import { jsonAnswer } from "./route";
import { callUpstream } from "./upstream";

type Schema = z.ZodType;

export interface RunnerCall {
  method: "GET" | "PUT" | "POST";
  /** One of the runner's routes, built from validated values by `runnerPath`. */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  /** The `lib/defix` schema of the success answer: checked here, so the browser takes the JSON as typed. */
  response: Schema;
}

export interface RunnerContext<P, Q, B> extends SessionContext<P, Q, B> {
  runner(call: RunnerCall): Promise<Response>;
}

const TIMEOUT_MS = 10_000;
/** The runner's bodies are a state and a version; nothing legitimate comes near this. */
const BODY_LIMIT = 4 * 1024;

export function runnerUrl(): string {
  return (process.env.RUNNER_URL ?? "http://127.0.0.1:8788").replace(/\/+$/, "");
}

/** Fixed route templates; every value is percent-encoded as one segment, so nothing can climb out. */
export const runnerPath = {
  strategies: () => "/strategies",
  strategyState: (strategyId: string) => `/strategies/${encodeURIComponent(strategyId)}/state`,
  strategyPreview: (strategyId: string) => `/strategies/${encodeURIComponent(strategyId)}/preview`,
  killSwitch: (vaultId: string) => `/vaults/${encodeURIComponent(vaultId)}/kill-switch`,
};

/** `withSession` with the strategy runner as upstream; only the runner's fixed routes can be reached. */
export function withRunner<
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  B extends Schema | undefined = undefined,
>(
  options: SessionRouteOptions<P, Q, B>,
  handler: (ctx: RunnerContext<Out<P>, Out<Q>, Out<B>>) => Promise<Response>,
): RouteHandler {
  return withSession({ bodyLimit: BODY_LIMIT, ...options }, (ctx) => {
    const runner = async (call: RunnerCall): Promise<Response> => {
      ctx.noteUpstream(`runner:${call.path}`);
      const url = new URL(call.path, runnerUrl());
      if (call.query) url.search = new URLSearchParams(call.query).toString();
      const upstream = await callUpstream(
        {
          url,
          method: call.method,
          token: ctx.session.omsToken,
          requestId: ctx.requestId,
          body: call.body,
          timeoutMs: TIMEOUT_MS,
          clientSignal: ctx.req.signal,
        },
        "strategy runner",
      );
      return jsonAnswer(upstream, call.response, "strategy runner");
    };
    return handler({ ...ctx, runner });
  });
}
