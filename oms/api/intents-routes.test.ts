import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { submitBody, UNKNOWN_VAULT, VAULT_A, VAULT_B } from "./test-support/fixtures";
import {
  createUnitHarness,
  OUTSIDER,
  PRIMARY,
  SECONDARY,
  SERVICE,
  type UnitHarness,
  VIEWER,
} from "./test-support/harness";

let h: UnitHarness;
beforeAll(async () => {
  h = await createUnitHarness();
});
afterAll(async () => {
  await h.app.close();
});

async function submit(sub: string, body: unknown, claims?: Record<string, unknown>) {
  return h.app.inject({
    method: "POST",
    url: "/defix/intents",
    headers: await h.bearer(sub, claims),
    payload: body as object,
  });
}

describe("submit and read", () => {
  it("201 for a new intent, 200 with the same intent for an identical resubmit", async () => {
    const first = await submit(PRIMARY, submitBody(VAULT_A, "111"));
    expect(first.statusCode).toBe(201);
    const again = await submit(SECONDARY, submitBody(VAULT_A, "111"));
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    const read = await h.app.inject({
      method: "GET",
      url: `/defix/intents/${first.json().id}`,
      headers: await h.bearer(VIEWER),
    });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ state: "RECEIVED", status: "Processing", vault_id: VAULT_A });
  });

  it("the strategy-runner service submits for the vaults its token lists, and only those", async () => {
    expect((await submit(SERVICE, submitBody(VAULT_B, "7"), { svc_vaults: [VAULT_B] })).statusCode).toBe(201);
    const refused = await submit(SERVICE, submitBody(VAULT_A, "7"), { svc_vaults: [VAULT_B] });
    expect(refused.statusCode).toBe(403);
  });

  it("view-only and outsiders cannot submit; unknown vault is 404", async () => {
    const before = h.intents.count;
    expect((await submit(VIEWER, submitBody(VAULT_A, "9"))).json().error.code).toBe("FORBIDDEN");
    expect((await submit(OUTSIDER, submitBody(VAULT_A, "9"))).statusCode).toBe(403);
    expect((await submit(PRIMARY, submitBody(UNKNOWN_VAULT, "9"))).json().error.code).toBe("VAULT_NOT_FOUND");
    expect(h.intents.count).toBe(before);
  });

  it("another vault's intent is 404 INTENT_NOT_FOUND, not 403", async () => {
    const created = await submit(PRIMARY, submitBody(VAULT_B, "55"));
    const id = created.json().id;
    for (const path of ["", "/events", "/fills", "/attempts"]) {
      const res = await h.app.inject({
        method: "GET",
        url: `/defix/intents/${id}${path}`,
        headers: await h.bearer(SECONDARY),
      });
      expect(res.statusCode, path).toBe(404);
      expect(res.json().error.code).toBe("INTENT_NOT_FOUND");
    }
    const cancel = await h.app.inject({
      method: "POST",
      url: `/defix/intents/${id}/cancel`,
      headers: await h.bearer(SECONDARY),
    });
    expect(cancel.json().error.code).toBe("INTENT_NOT_FOUND");
  });

  it("list shows only visible vaults; filtering on a vault without a role is 403", async () => {
    const mine = await h.app.inject({ method: "GET", url: "/defix/intents", headers: await h.bearer(SECONDARY) });
    expect(mine.json().data.length).toBeGreaterThan(0);
    expect(mine.json().data.every((intent: { vault_id: string }) => intent.vault_id === VAULT_A)).toBe(true);
    const other = await h.app.inject({
      method: "GET",
      url: `/defix/intents?vault_id=${VAULT_B}`,
      headers: await h.bearer(SECONDARY),
    });
    expect(other.statusCode).toBe(403);
  });

  it("cancel: managers only, then 409 once terminal", async () => {
    const id = (await submit(PRIMARY, submitBody(VAULT_A, "77"))).json().id;
    const url = `/defix/intents/${id}/cancel`;
    expect((await h.app.inject({ method: "POST", url, headers: await h.bearer(VIEWER) })).statusCode).toBe(403);
    const canceled = await h.app.inject({ method: "POST", url, headers: await h.bearer(SECONDARY) });
    expect(canceled.json().state).toBe("CANCELED");
    const again = await h.app.inject({
      method: "POST",
      url,
      headers: { ...(await h.bearer(PRIMARY)), "content-type": "application/json" },
      payload: "{}",
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe("INTENT_TERMINAL");
  });

  it("events as JSON honour after_seq", async () => {
    const id = (await submit(PRIMARY, submitBody(VAULT_A, "88"))).json().id;
    h.intents.append(id, "INTENT_ACKED", "ACKED");
    const res = await h.app.inject({
      method: "GET",
      url: `/defix/intents/${id}/events?after_seq=1`,
      headers: await h.bearer(VIEWER),
    });
    expect(res.json()).toMatchObject({ last_seq: 2, events: [{ seq_num: 2, message_type: "INTENT_ACKED" }] });
  });
});

describe("bad input: a 4xx with a code, and no row created", () => {
  const valid = submitBody(VAULT_A, "12345");
  const cases: Array<
    [string, () => Promise<{ statusCode: number; json(): { error: { code: string } } }>, number, string]
  > = [
    [
      "malformed JSON",
      async () =>
        h.app.inject({
          method: "POST",
          url: "/defix/intents",
          headers: { ...(await h.bearer(PRIMARY)), "content-type": "application/json" },
          payload: '{"vault_id": ',
        }),
      400,
      "INVALID_JSON",
    ],
    ["empty body", async () => submit(PRIMARY, undefined), 400, "VALIDATION_FAILED"],
    [
      "wrong type",
      async () => submit(PRIMARY, { ...valid, action_config: { ...valid.action_config, max_slippage_bps: "50" } }),
      400,
      "VALIDATION_FAILED",
    ],
    ["unknown field", async () => submit(PRIMARY, { ...valid, surprise: true }), 400, "VALIDATION_FAILED"],
    [
      "bad address",
      async () => submit(PRIMARY, { ...valid, action_config: { ...valid.action_config, target_address: "0x123" } }),
      400,
      "VALIDATION_FAILED",
    ],
    ["unparseable vault_id", async () => submit(PRIMARY, { ...valid, vault_id: "vault-a" }), 400, "VALIDATION_FAILED"],
    ["unknown vault", async () => submit(PRIMARY, { ...valid, vault_id: UNKNOWN_VAULT }), 404, "VAULT_NOT_FOUND"],
    [
      "size_expr with code",
      async () => submit(PRIMARY, { ...valid, action_config: { ...valid.action_config, size_expr: "process.exit()" } }),
      400,
      "VALIDATION_FAILED",
    ],
    [
      "__proto__ key",
      async () =>
        h.app.inject({
          method: "POST",
          url: "/defix/intents",
          headers: { ...(await h.bearer(PRIMARY)), "content-type": "application/json" },
          payload: '{"__proto__": {"admin": true}}',
        }),
      400,
      "INVALID_JSON",
    ],
    [
      "oversized body",
      async () => submit(PRIMARY, { ...valid, strategy_id: "x".repeat(70 * 1024) }),
      413,
      "PAYLOAD_TOO_LARGE",
    ],
    [
      "wrong content type",
      async () =>
        h.app.inject({
          method: "POST",
          url: "/defix/intents",
          headers: { ...(await h.bearer(PRIMARY)), "content-type": "text/plain" },
          payload: JSON.stringify(valid),
        }),
      415,
      "UNSUPPORTED_MEDIA_TYPE",
    ],
  ];
  for (const [name, send, status, code] of cases) {
    it(name, async () => {
      const before = h.intents.count;
      const res = await send();
      expect(res.statusCode).toBe(status);
      expect(res.json().error.code).toBe(code);
      expect(h.intents.count).toBe(before);
    });
  }

  it("validation errors name the failing path", async () => {
    const res = await submit(PRIMARY, { ...valid, action_config: { ...valid.action_config, target_address: "0x123" } });
    expect(res.json().error.details.issues[0]).toMatchObject({
      location: "body",
      path: "action_config.target_address",
    });
  });

  it.each([
    ["absurd limit", "/defix/intents?limit=100000", 400, "VALIDATION_FAILED"],
    ["negative limit", "/defix/intents?limit=-1", 400, "VALIDATION_FAILED"],
    ["unknown query parameter", "/defix/intents?sort=asc", 400, "VALIDATION_FAILED"],
    ["bad vault filter", "/defix/intents?vault_id=abc", 400, "VALIDATION_FAILED"],
    ["malformed intent id", "/defix/intents/not-a-uuid", 400, "VALIDATION_FAILED"],
    ["unknown intent id", "/defix/intents/6f1c2b1e-8d7a-4c55-9a40-2f0b8e6b1c11", 404, "INTENT_NOT_FOUND"],
    ["unknown route", "/defix/nope", 404, "NOT_FOUND"],
    ["path parameter longer than the router allows", `/defix/intents/${"a".repeat(150)}`, 414, "BAD_REQUEST"],
  ])("%s", async (_name, url, status, code) => {
    const res = await h.app.inject({ method: "GET", url, headers: await h.bearer(PRIMARY) });
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
    expect(res.json().error.request_id).toBe(res.headers["x-request-id"]);
  });
});

describe("request ids", () => {
  it("echoes a well-formed x-request-id and replaces a malformed one", async () => {
    const kept = await h.app.inject({ method: "GET", url: "/health", headers: { "x-request-id": "req-1234-abcd" } });
    expect(kept.headers["x-request-id"]).toBe("req-1234-abcd");
    const replaced = await h.app.inject({ method: "GET", url: "/health", headers: { "x-request-id": "bad id\u0000" } });
    expect(replaced.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });
});
