import { describe, expect, it, vi } from "vitest";

vi.mock("server-only", () => ({}));
vi.stubEnv("REDIS_URL", "");

const { createRateLimiter, rateLimitedResponse, rateLimiter } = await import("./index");
const { createMemoryStore } = await import("./memory-store");

describe("rateLimiter", () => {
  it("allows `limit` units per window, then refuses with the wait until the window resets", async () => {
    let clock = 0;
    const limiter = createRateLimiter(
      "t",
      { limit: 3, windowMs: 10_000 },
      { memory: createMemoryStore({ now: () => clock }), redis: null },
    );
    expect((await limiter.take("k")).remaining).toBe(2);
    await limiter.take("k");
    expect(await limiter.take("k")).toEqual({ ok: true, limit: 3, remaining: 0, retryAfterSeconds: 0 });
    clock = 2_500;
    expect(await limiter.take("k")).toEqual({ ok: false, limit: 3, remaining: 0, retryAfterSeconds: 8 });
    expect((await limiter.take("other")).ok).toBe(true);
    clock = 10_000;
    expect((await limiter.take("k")).ok).toBe(true);
  });

  it("charges a cost", async () => {
    const limiter = createRateLimiter(
      "t",
      { limit: 10, windowMs: 1_000 },
      { memory: createMemoryStore(), redis: null },
    );
    expect((await limiter.take("k", 7)).remaining).toBe(3);
    expect((await limiter.take("k", 4)).ok).toBe(false);
  });

  it("is one instance per name per process (shared across route bundles through globalThis)", () => {
    const a = rateLimiter("shared-name", { limit: 1, windowMs: 1_000 });
    expect(rateLimiter("shared-name", { limit: 99, windowMs: 1 })).toBe(a);
  });

  it("keeps its key map bounded under a flood of distinct keys", async () => {
    const store = createMemoryStore({ maxKeys: 100 });
    for (let i = 0; i < 10_000; i++) await store.increment(`k${i}`, 1, 60_000);
    // The newest keys are still counted; the map never held more than 100.
    expect((await store.increment("k9999", 1, 60_000)).count).toBe(2);
  });

  it("falls back to in-process counters when Redis fails, and says so", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const limiter = createRateLimiter(
      "t",
      { limit: 1, windowMs: 1_000 },
      { memory: createMemoryStore(), redis: { increment: () => Promise.reject(new Error("connection refused")) } },
    );
    expect((await limiter.take("k")).ok).toBe(true);
    expect((await limiter.take("k")).ok).toBe(false);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("connection refused"));
    warn.mockRestore();
  });
});

describe("rateLimitedResponse", () => {
  it("is a 429 with Retry-After and the RATE_LIMITED body", async () => {
    const response = rateLimitedResponse({ ok: false, limit: 60, remaining: 0, retryAfterSeconds: 42 }, "req-1");
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("42");
    expect(await response.json()).toEqual({
      error: {
        code: "RATE_LIMITED",
        message: "Too many requests. Try again in 42 s.",
        details: { limit: 60, retry_after_seconds: 42 },
        request_id: "req-1",
      },
    });
  });
});
