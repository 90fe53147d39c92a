import "server-only";
import { ErrorCode } from "@/lib/defix/errors";
import { type CounterStore, createMemoryStore } from "./memory-store";
import { webRedisPrefix } from "./redis-prefix";
import { createRedisStore } from "./redis-store";

export { clientIp } from "./client-ip";

export interface RateLimitDecision {
  ok: boolean;
  limit: number;
  remaining: number;
  retryAfterSeconds: number;
}

export interface RateLimiter {
  take(key: string, cost?: number): Promise<RateLimitDecision>;
}

interface Registry {
  limiters: Map<string, RateLimiter>;
  memory: CounterStore;
  redis: CounterStore | null;
}

// One registry per process on globalThis: Next bundles each route handler separately, and module-level
// state would exist once per bundle (a limit per route file instead of per process).
const GLOBAL_KEY = Symbol.for("defix.rateLimit.registry");

function registry(): Registry {
  const holder = globalThis as { [GLOBAL_KEY]?: Registry };
  holder[GLOBAL_KEY] ??= {
    limiters: new Map(),
    memory: createMemoryStore(),
    redis: process.env.REDIS_URL ? createRedisStore(process.env.REDIS_URL, `${webRedisPrefix()}rl:`) : null,
  };
  return holder[GLOBAL_KEY];
}

/**
 * A named fixed-window limiter: at most `limit` units per key per `windowMs`. The first call with a name
 * creates it; later calls with that name return the same instance (and its options).
 */
export function rateLimiter(name: string, options: { limit: number; windowMs: number }): RateLimiter {
  const shared = registry();
  const existing = shared.limiters.get(name);
  if (existing) return existing;
  const limiter = createRateLimiter(name, options, shared);
  shared.limiters.set(name, limiter);
  return limiter;
}

export function createRateLimiter(
  name: string,
  { limit, windowMs }: { limit: number; windowMs: number },
  stores: { memory: CounterStore; redis: CounterStore | null },
): RateLimiter {
  return {
    async take(key, cost = 1) {
      const counterKey = `${name}:${key}`;
      const { count, resetInMs } = await increment(stores, counterKey, cost, windowMs);
      const ok = count <= limit;
      return {
        ok,
        limit,
        remaining: Math.max(0, limit - count),
        retryAfterSeconds: ok ? 0 : Math.max(1, Math.ceil(resetInMs / 1000)),
      };
    },
  };
}

async function increment(
  stores: { memory: CounterStore; redis: CounterStore | null },
  key: string,
  cost: number,
  windowMs: number,
): Promise<{ count: number; resetInMs: number }> {
  if (!stores.redis) return stores.memory.increment(key, cost, windowMs);
  try {
    return await stores.redis.increment(key, cost, windowMs);
  } catch (error) {
    // Limits keep working per process while Redis is unreachable; the shared count resumes when it is back.
    warnRedisDown(error);
    return stores.memory.increment(key, cost, windowMs);
  }
}

let lastWarnedAt = Number.NEGATIVE_INFINITY;

/** Once per 30 s: a flood during a Redis outage must not become a log flood. */
function warnRedisDown(error: unknown): void {
  if (Date.now() - lastWarnedAt < 30_000) return;
  lastWarnedAt = Date.now();
  console.warn(`[rate-limit] redis unavailable, counting in memory: ${error instanceof Error ? error.message : error}`);
}

/** 429 with `Retry-After` and the house error body. */
export function rateLimitedResponse(decision: RateLimitDecision, requestId?: string): Response {
  const retryAfter = Math.max(1, decision.retryAfterSeconds);
  return Response.json(
    {
      error: {
        code: ErrorCode.RATE_LIMITED,
        message: `Too many requests. Try again in ${retryAfter} s.`,
        details: { limit: decision.limit, retry_after_seconds: retryAfter },
        request_id: requestId,
      },
    },
    {
      status: 429,
      headers: {
        "retry-after": String(retryAfter),
        "cache-control": "no-store",
        ...(requestId ? { "x-request-id": requestId } : {}),
      },
    },
  );
}
