import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { LimitsConfig } from "./limits";
import { submitBody, VAULT_A, VAULT_B } from "./test-support/fixtures";
import { createUnitHarness, OUTSIDER, PRIMARY, SECONDARY, SERVICE, type UnitHarness } from "./test-support/harness";

const LIMITS: LimitsConfig = {
  perUserPerMin: 6,
  perServicePerMin: 20,
  perIpPerMin: 3,
  submitsPerVaultPerMin: 2,
  streamsPerIdentity: 2,
  streamsTotal: 3,
};

let h: UnitHarness | undefined;
afterEach(async () => {
  h?.app.server.closeAllConnections();
  await h?.app.close();
  h = undefined;
});

async function harness(limits: LimitsConfig = LIMITS): Promise<UnitHarness> {
  h = await createUnitHarness({ limits });
  return h;
}

function expectRefusal(
  res: { statusCode: number; headers: Record<string, unknown>; json(): unknown },
  code: string,
  scope: string,
): void {
  expect(res.statusCode).toBe(429);
  expect(Number(res.headers["retry-after"])).toBeGreaterThan(0);
  expect(res.json()).toMatchObject({
    error: {
      code,
      message: expect.any(String),
      details: { scope, limit: expect.any(Number) },
      request_id: expect.any(String),
    },
  });
}

describe("request limits", () => {
  it("counts each account's requests per minute; another account keeps its own budget", async () => {
    const { app, bearer } = await harness();
    const get = async (who: string) => app.inject({ method: "GET", url: "/defix/intents", headers: await bearer(who) });
    for (let i = 0; i < LIMITS.perUserPerMin; i++) expect((await get(PRIMARY)).statusCode).toBe(200);
    const refused = await get(PRIMARY);
    expectRefusal(refused, "RATE_LIMITED", "user");
    expect(refused.json()).toMatchObject({ error: { details: { limit: 6, window_ms: 60_000 } } });
    expect((await get(SECONDARY)).statusCode).toBe(200);
  });

  it("gives a service identity its own, larger budget", async () => {
    const { app, bearer } = await harness();
    const headers = await bearer(SERVICE, { svc_vaults: [VAULT_A] });
    for (let i = 0; i < LIMITS.perServicePerMin; i++) {
      expect((await app.inject({ method: "GET", url: "/defix/intents", headers })).statusCode).toBe(200);
    }
    expectRefusal(await app.inject({ method: "GET", url: "/defix/intents", headers }), "RATE_LIMITED", "service");
  });

  it("counts public routes and failed authentication by address", async () => {
    const { app } = await harness();
    const bad = { authorization: "Bearer nope.nope.nope" };
    expect((await app.inject({ method: "GET", url: "/health" })).statusCode).toBe(200);
    expect((await app.inject({ method: "GET", url: "/defix/intents", headers: bad })).statusCode).toBe(401);
    expect((await app.inject({ method: "GET", url: "/defix/intents" })).statusCode).toBe(401);
    expectRefusal(await app.inject({ method: "GET", url: "/defix/intents", headers: bad }), "RATE_LIMITED", "ip");
    expectRefusal(await app.inject({ method: "GET", url: "/health" }), "RATE_LIMITED", "ip");
  });

  it("behind OMS_TRUST_PROXY proxies counts each client's own address, never what a client wrote itself", async () => {
    // One proxy of ours appends the peer it saw: the last x-forwarded-for entry is the client.
    h = await createUnitHarness({ limits: LIMITS, trustProxy: 1 });
    const via = (client: string, forged?: string) =>
      h?.app.inject({
        method: "GET",
        url: "/health",
        remoteAddress: "127.0.0.1",
        headers: { "x-forwarded-for": forged === undefined ? client : `${forged}, ${client}` },
      });
    for (let i = 0; i < LIMITS.perIpPerMin; i++) expect((await via("203.0.113.7"))?.statusCode).toBe(200);
    expectRefusal((await via("203.0.113.7")) as never, "RATE_LIMITED", "ip");
    // Another client behind the same proxy keeps its own budget…
    expect((await via("203.0.113.8"))?.statusCode).toBe(200);
    // …and a client cannot escape its own by writing an address in front of the proxy's entry.
    expectRefusal((await via("203.0.113.7", "198.51.100.1")) as never, "RATE_LIMITED", "ip");
  });

  it("without OMS_TRUST_PROXY ignores x-forwarded-for: every client behind a proxy shares its address", async () => {
    const { app } = await harness();
    const via = (client: string) =>
      app.inject({ method: "GET", url: "/health", remoteAddress: "127.0.0.1", headers: { "x-forwarded-for": client } });
    for (let i = 0; i < LIMITS.perIpPerMin; i++) expect((await via(`203.0.113.${i + 1}`)).statusCode).toBe(200);
    expectRefusal(await via("203.0.113.99"), "RATE_LIMITED", "ip");
  });

  it("limits submits per vault, counting only callers who may submit there", async () => {
    const { app, bearer } = await harness({ ...LIMITS, perUserPerMin: 100 });
    const submit = async (who: string, vaultId: string, size: string) =>
      app.inject({
        method: "POST",
        url: "/defix/intents",
        headers: await bearer(who),
        payload: submitBody(vaultId, size),
      });
    // An outsider's refused submits spend nothing of the vault's budget.
    for (let i = 0; i < 5; i++) expect((await submit(OUTSIDER, VAULT_A, `${i + 1}`)).statusCode).toBe(403);
    expect((await submit(PRIMARY, VAULT_A, "11")).statusCode).toBe(201);
    expect((await submit(SECONDARY, VAULT_A, "12")).statusCode).toBe(201);
    expectRefusal(await submit(PRIMARY, VAULT_A, "13"), "RATE_LIMITED", "submit");
    expect((await submit(PRIMARY, VAULT_B, "14")).statusCode).toBe(201);
  });

  it("OMS_RATE_LIMIT=off (no limits) never refuses", async () => {
    h = await createUnitHarness();
    const headers = await h.bearer(PRIMARY);
    for (let i = 0; i < 30; i++) {
      expect((await h.app.inject({ method: "GET", url: "/defix/intents", headers })).statusCode).toBe(200);
    }
  });
});

describe("event stream caps", () => {
  it("caps open streams per account and in total; a closed stream frees its slot", async () => {
    const { app, bearer } = await harness({ ...LIMITS, perUserPerMin: 100 });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const open = async (who: string) => {
      const controller = new AbortController();
      const response = await fetch(`${base}/defix/stream`, {
        headers: { ...(await bearer(who)), accept: "text/event-stream" },
        signal: controller.signal,
      });
      return { response, close: () => controller.abort() };
    };
    const first = await open(PRIMARY);
    const second = await open(PRIMARY);
    expect([first.response.status, second.response.status]).toEqual([200, 200]);
    const third = await open(PRIMARY);
    expect(third.response.status).toBe(429);
    expect(Number(third.response.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await third.response.json()).error).toMatchObject({
      code: "TOO_MANY_STREAMS",
      details: { scope: "identity", limit: 2 },
    });

    const other = await open(SECONDARY);
    expect(other.response.status).toBe(200);
    const overTotal = await open(OUTSIDER);
    expect(overTotal.response.status).toBe(429);
    expect((await overTotal.response.json()).error.details).toMatchObject({ scope: "global", limit: 3 });

    first.close();
    const deadline = Date.now() + 5_000;
    let again = await open(PRIMARY);
    while (again.response.status === 429 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      again = await open(PRIMARY);
    }
    expect(again.response.status).toBe(200);
    for (const stream of [second, other, again]) stream.close();
  });
});
