import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Redis } from "ioredis";
import { ErrorCode } from "../../lib/defix/errors";
import { LimitError } from "../kernel/errors";
import type { RequestActor } from "./auth";

/** Request budgets (docs/ARCHITECTURE.md, "Limits"); every refusal is a 429 LimitError. */
export interface RequestLimiter {
  /** One request of an authenticated caller, against its per-minute budget (services have their own). */
  identity(request: FastifyRequest, actor: RequestActor): Promise<void>;
  /** One request counted by client IP: public and unknown routes, and failed authentication. */
  address(request: FastifyRequest): Promise<void>;
  /**
   * One intent submit, against the vault's per-minute budget. Called only once the caller's role on
   * the vault is checked, so an outsider cannot spend a vault's budget and lock its managers out.
   */
  submit(request: FastifyRequest, vaultId: string): Promise<void>;
}

declare module "fastify" {
  interface FastifyInstance {
    limiter: RequestLimiter;
  }
}

export const UNLIMITED: RequestLimiter = {
  identity: async () => undefined,
  address: async () => undefined,
  submit: async () => undefined,
};

const WINDOW_MS = 60_000;
/** Distinct callers remembered per limiter by the in-process store (least recently seen dropped first). */
const LOCAL_KEYS = 10_000;

type Check = ReturnType<FastifyInstance["createRateLimit"]>;

/**
 * Registers @fastify/rate-limit (counters in Redis when `redis` is given, so several OMS processes share
 * them; else in this process) and returns the limiter the auth hook and the submit paths call. The plugin
 * is not applied per route: which key a request counts against is only known after authentication.
 */
export function registerRequestLimits(
  app: FastifyInstance,
  limits: LimitsConfig | null,
  redis: Redis | undefined,
  redisPrefix: string,
): RequestLimiter {
  if (!limits) return UNLIMITED;
  void app.register(rateLimit, {
    global: false,
    cache: LOCAL_KEYS,
    // Keys read `<prefix>rl:undefinedundefined-<limit>:<key>`: the plugin names a limiter built outside a route so.
    ...(redis ? { redis, nameSpace: `${redisPrefix}rl:` } : {}),
  });
  const keyOf = new WeakMap<FastifyRequest, string>();
  let checks: Record<"user" | "service" | "ip" | "submit", { check: Check; max: number }> | undefined;
  // The plugin's decorator exists once the app has loaded its plugins, i.e. by the first request.
  const build = () => {
    const make = (max: number) => ({
      max,
      check: app.createRateLimit({
        max,
        timeWindow: WINDOW_MS,
        keyGenerator: (request) => keyOf.get(request) ?? request.ip,
      }),
    });
    return {
      user: make(limits.perUserPerMin),
      service: make(limits.perServicePerMin),
      ip: make(limits.perIpPerMin),
      submit: make(limits.submitsPerVaultPerMin),
    };
  };

  async function consume(
    request: FastifyRequest,
    which: "user" | "service" | "ip" | "submit",
    key: string,
    what: string,
  ): Promise<void> {
    checks ??= build();
    const { check, max } = checks[which];
    keyOf.set(request, `${which}:${key}`);
    let result: Awaited<ReturnType<Check>>;
    try {
      result = await check(request);
    } catch (error) {
      // A limit store that is down must not take the API with it: the request goes through, loudly.
      request.log.warn({ err: error, limit: which }, "rate limit store unavailable; request not counted");
      return;
    }
    if (result.isAllowed || !result.isExceeded) return;
    const retryAfter = Math.max(1, result.ttlInSeconds);
    throw new LimitError(ErrorCode.RATE_LIMITED, `Too many ${what}; retry in ${retryAfter} s`, retryAfter, {
      scope: which,
      limit: max,
      window_ms: WINDOW_MS,
    });
  }

  return {
    identity: (request, actor) =>
      actor.kind === "service"
        ? consume(request, "service", actor.subject, "requests for this service identity")
        : consume(request, "user", actor.subject, "requests for this account"),
    address: (request) => consume(request, "ip", request.ip, "requests from this address"),
    submit: (request, vaultId) => consume(request, "submit", vaultId, "intent submits to this vault"),
  };
}

/** Per-minute request budgets and open-stream caps (docs/ARCHITECTURE.md, "Limits"). */
export interface LimitsConfig {
  /** Requests per minute per user (token subject). */
  perUserPerMin: number;
  /** Requests per minute per service identity (`OMS_SERVICE_SUBJECTS`). */
  perServicePerMin: number;
  /** Requests per minute per IP on public routes and for failed authentication. */
  perIpPerMin: number;
  /** Intent submits per minute per vault (REST and JSON-RPC together). */
  submitsPerVaultPerMin: number;
  streamsPerIdentity: number;
  streamsTotal: number;
}
