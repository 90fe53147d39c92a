import "server-only";
import { Redis } from "ioredis";
import type { CounterStore, WindowCount } from "./memory-store";

// INCRBY and the window's expiry in one round trip, atomically, so several dashboard instances share a count.
const INCREMENT = `
local count = redis.call('INCRBY', KEYS[1], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
return {count, ttl}
`;

/**
 * Counters in Redis (`REDIS_URL`). A Redis that is slow or down must not take sign-in down with it: each
 * call has a short timeout and the caller falls back to its in-process counters (see index.ts).
 */
export function createRedisStore(url: string, prefix: string): CounterStore {
  const redis = new Redis(url, {
    commandTimeout: 250,
    maxRetriesPerRequest: 1,
    // Commands sent while connecting wait (bounded by commandTimeout) rather than fail straight to the fallback.
    enableOfflineQueue: true,
  });
  redis.on("error", (error: Error) => console.warn(`[rate-limit] redis: ${error.message}`));
  return {
    async increment(key, cost, windowMs): Promise<WindowCount> {
      const [count, ttl] = (await redis.eval(INCREMENT, 1, `${prefix}${key}`, cost, windowMs)) as [number, number];
      return { count, resetInMs: ttl };
    },
  };
}
