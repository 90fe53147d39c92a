import { randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";

vi.mock("server-only", () => ({}));
const { createRedisStore } = await import("./redis-store");
const { createRateLimiter } = await import("./index");
const { createMemoryStore } = await import("./memory-store");

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

describe("rate limits in Redis", () => {
  it("two dashboard instances (two clients) share one count and one window", async () => {
    const prefix = `defix:test:${randomUUID()}:`;
    const options = { limit: 5, windowMs: 2_000 };
    const instanceA = createRateLimiter("sign-in", options, {
      memory: createMemoryStore(),
      redis: createRedisStore(REDIS_URL, prefix),
    });
    const instanceB = createRateLimiter("sign-in", options, {
      memory: createMemoryStore(),
      redis: createRedisStore(REDIS_URL, prefix),
    });
    for (let i = 0; i < 3; i++) expect((await instanceA.take("10.0.0.1")).ok).toBe(true);
    expect((await instanceB.take("10.0.0.1")).remaining).toBe(1);
    await instanceB.take("10.0.0.1");
    const refused = await instanceA.take("10.0.0.1");
    expect(refused.ok).toBe(false);
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(2);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect((await instanceB.take("10.0.0.1")).ok).toBe(true);
  });
});
