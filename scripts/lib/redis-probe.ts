import { Redis } from "ioredis";

export const LOCAL_REDIS_URL = "redis://127.0.0.1:6379";

/** True when a Redis server answers PING at `url` within `timeoutMs`. */
export async function redisAnswers(url: string, timeoutMs = 1_000): Promise<boolean> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  // Connection errors are the answer here (no Redis), reported through the rejected connect/ping below.
  redis.on("error", () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === "PONG";
  } catch {
    return false; // refused, timed out or not Redis: in every case there is no Redis to use here
  } finally {
    redis.disconnect();
  }
}
