import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { LimitsConfig } from "./limits";
import { createUnitHarness, PRIMARY, type UnitHarness } from "./test-support/harness";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const LIMITS: LimitsConfig = {
  perUserPerMin: 4,
  perServicePerMin: 100,
  perIpPerMin: 100,
  submitsPerVaultPerMin: 100,
  streamsPerIdentity: 1,
  streamsTotal: 100,
};

let redis: Redis;
const opened: UnitHarness[] = [];
beforeAll(async () => {
  redis = new Redis(REDIS_URL, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  await redis.connect();
});
afterEach(async () => {
  for (const h of opened.splice(0)) {
    h.app.server.closeAllConnections();
    await h.app.close();
  }
});
afterAll(() => redis?.disconnect());

/** Two OMS "processes": separate apps over one Redis, under a prefix of their own. */
async function twoProcesses(): Promise<[UnitHarness, UnitHarness]> {
  const redisPrefix = `test-oms-${randomUUID()}:`;
  const pair: [UnitHarness, UnitHarness] = [
    await createUnitHarness({ limits: LIMITS, redis, redisPrefix }),
    await createUnitHarness({ limits: LIMITS, redis, redisPrefix }),
  ];
  opened.push(...pair);
  return pair;
}

describe("limits shared through Redis (REDIS_URL)", () => {
  it("one account's request budget is spent across processes", async () => {
    const [a, b] = await twoProcesses();
    // Each harness has its own issuer; a token is only valid at the app that trusts it.
    const get = async (h: UnitHarness) =>
      (await h.app.inject({ method: "GET", url: "/defix/intents", headers: await h.bearer(PRIMARY) })).statusCode;
    expect([await get(a), await get(b), await get(a), await get(b)]).toEqual([200, 200, 200, 200]);
    expect(await get(a)).toBe(429);
    expect(await get(b)).toBe(429);
  });

  it("open streams count across processes, and a closed one frees its slot", async () => {
    const [a, b] = await twoProcesses();
    const open = async (h: UnitHarness) => {
      if (!h.app.server.listening) await h.app.listen({ port: 0, host: "127.0.0.1" });
      const port = (h.app.server.address() as AddressInfo).port;
      const controller = new AbortController();
      const response = await fetch(`http://127.0.0.1:${port}/defix/stream`, {
        headers: { ...(await h.bearer(PRIMARY)), accept: "text/event-stream" },
        signal: controller.signal,
      });
      return { status: response.status, close: () => controller.abort() };
    };
    const first = await open(a);
    expect(first.status).toBe(200);
    expect((await open(b)).status).toBe(429);
    first.close();
    let again = await open(b);
    for (let tries = 0; again.status === 429 && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      again = await open(b);
    }
    expect(again.status).toBe(200);
    again.close();
  });

  it("a Redis that cannot be reached lets requests through instead of failing them", async () => {
    const down = new Redis("redis://127.0.0.1:9", { lazyConnect: true, enableOfflineQueue: false });
    try {
      const h = await createUnitHarness({ limits: LIMITS, redis: down });
      opened.push(h);
      const headers = await h.bearer(PRIMARY);
      for (let i = 0; i < LIMITS.perUserPerMin + 3; i++) {
        expect((await h.app.inject({ method: "GET", url: "/defix/intents", headers })).statusCode).toBe(200);
      }
    } finally {
      down.disconnect();
    }
  });
});
