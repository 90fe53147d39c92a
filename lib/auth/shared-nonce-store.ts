import "server-only";
import { Redis } from "ioredis";
import { webRedisPrefix } from "../rate-limit/redis-prefix";
import { createNonceStore, type NonceStore } from "./nonce-store";
import { createRedisNonceStore } from "./redis-nonce-store";

// One store per process on globalThis: Next bundles route handlers separately, and a module-level store would
// exist once per route (a nonce issued by the nonce route unknown to the sign-in callback).
const GLOBAL_KEY = Symbol.for("defix.auth.nonceStore");

/**
 * The process's nonce store: in Redis when `REDIS_URL` is set (several dashboard instances share it, so a
 * nonce issued by one is redeemed on another), else in memory (one dashboard process).
 */
export function sharedNonceStore(): NonceStore {
  const holder = globalThis as { [GLOBAL_KEY]?: NonceStore };
  holder[GLOBAL_KEY] ??= process.env.REDIS_URL ? redisStore(process.env.REDIS_URL) : createNonceStore();
  return holder[GLOBAL_KEY];
}

function redisStore(url: string): NonceStore {
  const redis = new Redis(url, { commandTimeout: 2_000, maxRetriesPerRequest: 1, enableOfflineQueue: true });
  // ioredis reconnects by itself; without a listener an outage would be an unhandled 'error' event.
  redis.on("error", (error: Error) => console.warn(`[auth] nonce store redis: ${error.message}`));
  // The hash tag keeps a nonce, its owner's set and the global set in one cluster slot.
  return createRedisNonceStore(redis, { prefix: `${webRedisPrefix()}{nonce}:` });
}
