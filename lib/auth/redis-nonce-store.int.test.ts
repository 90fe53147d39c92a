import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it, vi } from "vitest";

vi.mock("server-only", () => ({}));
const { createRedisNonceStore } = await import("./redis-nonce-store");

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const clients: Redis[] = [];
afterAll(async () => {
  await Promise.all(clients.map((client) => client.quit()));
});

/** One dashboard instance: its own Redis connection and store object, sharing the key space with the others. */
function instance(prefix: string, options: { ttlMs?: number; maxPerOwner?: number; maxOutstanding?: number } = {}) {
  const client = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  clients.push(client);
  return createRedisNonceStore(client, { prefix, ...options });
}

const freshPrefix = (): string => `defix:test:{nonce-${randomUUID()}}:`;

async function issued(store: ReturnType<typeof instance>, owner: string): Promise<string> {
  const issue = await store.issue(owner);
  if (!issue.ok) throw new Error(`refused: ${issue.reason}`);
  return issue.nonce;
}

describe("sign-in nonces shared through Redis", () => {
  it("a nonce issued by one instance is redeemed on another exactly once, under 50 concurrent consumes", async () => {
    const prefix = freshPrefix();
    const [a, b] = [instance(prefix), instance(prefix)];
    for (let round = 0; round < 5; round++) {
      const nonce = await issued(a, "10.0.0.1");
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).consume(nonce)));
      expect(results.filter(Boolean)).toHaveLength(1);
    }
    expect(await b.size()).toBe(0);
  });

  it("keeps the per-owner cap across instances and refuses (never evicts), freeing a slot when one is used", async () => {
    const prefix = freshPrefix();
    const [a, b] = [instance(prefix, { maxPerOwner: 3 }), instance(prefix, { maxPerOwner: 3 })];
    const first = await issued(a, "10.6.6.6");
    await issued(b, "10.6.6.6");
    await issued(a, "10.6.6.6");
    const refused = await b.issue("10.6.6.6");
    expect(refused).toMatchObject({ ok: false, reason: "OWNER_LIMIT", limit: 3 });
    expect(refused.ok === false && refused.retryAfterMs).toBeGreaterThan(0);
    expect((await a.issue("10.0.0.2")).ok).toBe(true);
    expect(await b.consume(first)).toBe(true);
    expect((await b.issue("10.6.6.6")).ok).toBe(true);
  });

  it("a full store refuses with the wait instead of evicting a valid nonce", async () => {
    const prefix = freshPrefix();
    const [a, b] = [instance(prefix, { maxOutstanding: 20 }), instance(prefix, { maxOutstanding: 20 })];
    const honest = await issued(a, "192.0.2.10");
    for (let i = 0; i < 19; i++) await issued(i % 2 ? a : b, `198.51.100.${i}`);
    const full = await b.issue("192.0.2.11");
    expect(full).toMatchObject({ ok: false, reason: "STORE_FULL", limit: 20 });
    expect(await b.consume(honest)).toBe(true);
  });

  it("an expired nonce is refused and its slot is free again", async () => {
    const prefix = freshPrefix();
    const [a, b] = [instance(prefix, { ttlMs: 200, maxPerOwner: 1 }), instance(prefix, { ttlMs: 200, maxPerOwner: 1 })];
    const nonce = await issued(a, "10.0.0.9");
    expect((await b.issue("10.0.0.9")).ok).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await b.consume(nonce)).toBe(false);
    expect((await b.issue("10.0.0.9")).ok).toBe(true);
  });

  it("a nonce that was never issued, or not shaped like one, is refused", async () => {
    const store = instance(freshPrefix());
    expect(await store.consume("madeup12345678")).toBe(false);
    expect(await store.consume(`${"0".repeat(31)}*`)).toBe(false);
  });
});
