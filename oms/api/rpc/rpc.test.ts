import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devAccount } from "../../../lib/chain/dev-accounts";
import { proposeIntentTypedData, rpcDomain, rpcInstanceSalt } from "../../../lib/defix/rpc-typed-data";
import { CHAIN_ID, submitBody, VAULT_A } from "../test-support/fixtures";
import { createUnitHarness, PRIMARY, type UnitHarness, VIEWER } from "../test-support/harness";

let h: UnitHarness;
beforeAll(async () => {
  h = await createUnitHarness();
});
afterAll(async () => {
  await h.app.close();
});

async function rpc(payload: string | object) {
  return h.app.inject({
    method: "POST",
    url: "/rpc",
    headers: { ...(await h.bearer(VIEWER)), "content-type": "application/json" },
    payload: typeof payload === "string" ? payload : JSON.stringify(payload),
  });
}

/** The domain this OMS announces (the harness's nonce store is instance "memory"). */
const OUR_DOMAIN = rpcDomain(CHAIN_ID, rpcInstanceSalt("memory"));

async function signedProposal(
  accountIndex: number,
  nonce: number,
  size: string,
  ttl = Math.floor(Date.now() / 1000) + 600,
  domain = OUR_DOMAIN,
) {
  const account = devAccount(accountIndex);
  const payload = { author: account.address, nonce, ttl, intent: submitBody(VAULT_A, size) };
  const signature = await account.signTypedData(proposeIntentTypedData(domain, payload));
  return { intent: payload, signature };
}

const call = (method: string, params: unknown, id: number | string = 1) => ({ jsonrpc: "2.0", id, method, params });

describe("JSON-RPC transport", () => {
  it.each([
    ["not JSON", "{oops", -32700, 400],
    ["not a request object", '"hello"', -32600, 400],
    ["wrong version", JSON.stringify({ jsonrpc: "1.0", id: 1, method: "getIntentStatus" }), -32600, 400],
    ["empty batch", "[]", -32600, 400],
    ["unknown method", JSON.stringify(call("eth_sendRawTransaction", [])), -32601, 404],
    ["invalid params", JSON.stringify(call("getIntentStatus", ["nope"])), -32602, 400],
  ])("%s → %i", async (_name, body, code, status) => {
    const before = h.intents.count;
    const res = await rpc(body);
    expect(res.statusCode).toBe(status);
    expect(res.json()).toMatchObject({ jsonrpc: "2.0", error: { code } });
    expect(h.intents.count).toBe(before);
  });

  it("needs the bearer token like every other route", async () => {
    const res = await h.app.inject({ method: "POST", url: "/rpc", payload: call("getIntentStatus", []) });
    expect(res.statusCode).toBe(401);
  });

  it("answers a batch in order, skipping notifications", async () => {
    const res = await rpc([
      call("getIntentStatus", ["6f1c2b1e-8d7a-4c55-9a40-2f0b8e6b1c11"], "a"),
      { jsonrpc: "2.0", method: "nope" },
      call("nope", [], 2),
    ]);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([
      { jsonrpc: "2.0", id: "a", result: [null] },
      expect.objectContaining({ id: 2, error: expect.objectContaining({ code: -32601 }) }),
    ]);
  });
});

describe("getSigningDomain", () => {
  it("announces this OMS's EIP-712 domain, salt included", async () => {
    const res = await rpc(call("getSigningDomain", []));
    expect(res.statusCode).toBe(200);
    expect(res.json().result).toEqual({
      name: "DeFiX OMS",
      version: "1",
      chainId: CHAIN_ID,
      salt: rpcInstanceSalt("memory"),
    });
  });
});

describe("proposeIntent", () => {
  it("refuses an intent signed for another OMS on the same chain, or for no OMS in particular", async () => {
    const before = h.intents.count;
    const otherOms = await signedProposal(1, 50, "7000", undefined, rpcDomain(CHAIN_ID, rpcInstanceSalt("other")));
    const refused = await rpc(call("proposeIntent", otherOms));
    expect(refused.json().error).toMatchObject({ code: -32012, data: { code: "VALIDATION_FAILED" } });
    const account = devAccount(1);
    const payload = {
      author: account.address,
      nonce: 51,
      ttl: Math.floor(Date.now() / 1000) + 600,
      intent: submitBody(VAULT_A, "7001"),
    };
    const unbound = proposeIntentTypedData(OUR_DOMAIN, payload);
    const { salt: _salt, ...domainWithoutSalt } = unbound.domain;
    const signature = await account.signTypedData({ ...unbound, domain: domainWithoutSalt });
    expect((await rpc(call("proposeIntent", { intent: payload, signature }))).json().error.code).toBe(-32012);
    expect(h.intents.count).toBe(before);
    // The same intent signed for this OMS is accepted.
    expect((await rpc(call("proposeIntent", await signedProposal(1, 52, "7000")))).json().result.created).toBe(true);
  });

  it("accepts an intent signed by a vault manager, once per nonce", async () => {
    const params = await signedProposal(1, 1, "5000");
    const res = await rpc(call("proposeIntent", params));
    expect(res.statusCode).toBe(200);
    const { intent_id, created } = res.json().result;
    expect(created).toBe(true);
    const intent = await h.intents.get(intent_id);
    expect(intent?.submitted_by).toBe(PRIMARY);
    expect(intent?.deadline).toBe(new Date(params.intent.ttl * 1000).toISOString());

    const replay = await rpc(call("proposeIntent", params));
    expect(replay.json().error.code).toBe(-32010);

    const status = await rpc(call("getIntentStatus", [intent_id]));
    expect(status.json().result[0]).toMatchObject({ intent_id, state: "RECEIVED", status: "Processing" });
  });

  it("refuses a signature by someone else, a changed intent, an expired ttl, a non-manager author", async () => {
    const before = h.intents.count;
    const good = await signedProposal(1, 2, "6000");
    const forged = { ...good, intent: { ...good.intent, author: devAccount(2).address } };
    expect((await rpc(call("proposeIntent", forged))).json().error.code).toBe(-32012);
    const altered = { ...good, intent: { ...good.intent, intent: submitBody(VAULT_A, "999999") } };
    expect((await rpc(call("proposeIntent", altered))).json().error.code).toBe(-32012);
    const expired = await signedProposal(1, 3, "6000", Math.floor(Date.now() / 1000) - 1);
    expect((await rpc(call("proposeIntent", expired))).json().error.code).toBe(-32011);
    const viewer = await signedProposal(3, 1, "6000");
    const refused = await rpc(call("proposeIntent", viewer));
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatchObject({ code: -32003, data: { code: "FORBIDDEN" } });
    expect(h.intents.count).toBe(before);
  });
});

describe("bounded work per request", () => {
  const uuid = (i: number) => `6f1c2b1e-8d7a-4c55-9a40-${i.toString(16).padStart(12, "0")}`;

  it("a batch stops doing work past its budget: later calls answer -32005 and can be resent", async () => {
    // 1,200 lookups fit in one 64 KiB body; the budget (200 units, one per id) serves 3 calls of 60.
    const ids = Array.from({ length: 60 }, (_, i) => uuid(i));
    const batch = Array.from({ length: 20 }, (_, i) => call("getIntentStatus", ids, i));
    const res = await rpc(batch);
    expect(res.statusCode).toBe(200);
    const answers: Array<{ id: number; result?: unknown[]; error?: { code: number; data: { code: string } } }> =
      res.json();
    expect(answers).toHaveLength(20);
    const served = answers.filter((answer) => answer.result !== undefined);
    expect(served.map((answer) => answer.id)).toEqual([0, 1, 2]);
    for (const answer of answers.slice(3)) {
      expect(answer.error).toMatchObject({ code: -32005, data: { code: "RATE_LIMITED" } });
    }
  });

  it("at most 20 signed proposals are verified and written per batch", async () => {
    const before = h.intents.count;
    const proposals = await Promise.all(
      Array.from({ length: 25 }, (_, i) => signedProposal(1, 1_000 + i, String(70_000 + i))),
    );
    const res = await rpc(proposals.map((params, i) => call("proposeIntent", params, i)));
    const answers: Array<{ result?: unknown; error?: { code: number } }> = res.json();
    expect(answers.filter((answer) => answer.result !== undefined)).toHaveLength(20);
    expect(answers.slice(20).map((answer) => answer.error?.code)).toEqual(Array(5).fill(-32005));
    expect(h.intents.count).toBe(before + 20);
  });

  it("proposeIntent counts against the vault's submit limit: 429 with Retry-After, nonce left unused", async () => {
    const limited = await createUnitHarness({
      limits: {
        perUserPerMin: 100,
        perServicePerMin: 100,
        perIpPerMin: 100,
        submitsPerVaultPerMin: 1,
        streamsPerIdentity: 1,
        streamsTotal: 1,
      },
    });
    try {
      const send = async (params: unknown) =>
        limited.app.inject({
          method: "POST",
          url: "/rpc",
          headers: { ...(await limited.bearer(VIEWER)), "content-type": "application/json" },
          payload: JSON.stringify(call("proposeIntent", params)),
        });
      expect((await send(await signedProposal(1, 1, "8000"))).statusCode).toBe(200);
      const second = await signedProposal(1, 2, "8001");
      const refused = await send(second);
      expect(refused.statusCode).toBe(429);
      expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
      expect(refused.json().error).toMatchObject({
        code: -32005,
        data: { code: "RATE_LIMITED", details: { scope: "submit", limit: 1 } },
      });
      expect(await limited.nonces.consume(devAccount(1).address, 2)).toBe(true);
    } finally {
      await limited.app.close();
    }
  });
});
