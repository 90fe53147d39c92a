import { Redis } from "ioredis";
import type { Logger } from "./logger";

/**
 * The limit counters' Redis. Commands fail fast instead of queueing while it is unreachable: the
 * limiters then let requests through (logged) rather than stalling the API. Unreachable at boot is a
 * boot error, since the operator asked for shared limits.
 */
export async function connectRedis(url: string, log: Logger): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 500,
    connectTimeout: 2_000,
  });
  // Logged once per outage: ioredis reports every reconnect attempt.
  let isUp = true;
  redis.on("ready", () => {
    isUp = true;
  });
  redis.on("error", (error: Error) => {
    if (isUp)
      log.warn("Redis for limit counters is unreachable; limits are not enforced until it is back", { err: error });
    isUp = false;
  });
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    // The URL may carry a password: name the variable, not its value.
    throw new Error(`REDIS_URL is set but Redis could not be reached: ${(error as Error).message}`);
  }
  return redis;
}
