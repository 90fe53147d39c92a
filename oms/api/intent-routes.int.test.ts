import { beforeAll, expect, it } from "vitest";
import { devAccount } from "../../lib/chain/dev-accounts";
import { type Intent, IntentEventList } from "../../lib/defix";
import { proposeIntentTypedData, RpcSigningDomain } from "../../lib/defix/rpc-typed-data";
import type { ManifestVault } from "../../lib/deployment/manifest";
import { submission } from "../domain/test-support/intents";
import { describeOmsWorlds, MANAGER_ONE, MANAGER_TWO, OUTSIDER, VIEWER, vaultBySymbol } from "./test-support/oms-suite";
import { type OmsWorld, poll } from "./test-support/oms-world";

/**
 * Intents over HTTP and JSON-RPC: what is refused and why, who sees which vault's intents, and one intent from submit
 * to COMPLETED. The list test counts on the happy path's intent on ALPHA.
 */
describeOmsWorlds("OMS HTTP API: intents", (w) => {
  let alpha: ManifestVault;
  let gamma: ManifestVault;

  beforeAll(() => {
    alpha = vaultBySymbol(w, "svALPHA");
    gamma = vaultBySymbol(w, "svGAMMA");
  });

  const api = (...args: Parameters<OmsWorld["api"]>) => w.api(...args);

  it("bad input: every case a 4xx with a code, and no row created", async () => {
    const valid = submission(w.manifest, alpha, { action: "DEPOSIT", sizeExpr: "1000" });
    const delta = w.manifest.vaults.find((vault) => vault.symbol === "svDELTA")!;
    const deltaSubmission = submission(w.manifest, delta, { action: "DEPOSIT", sizeExpr: "1000" });
    const before = await w.countIntents();
    const cases: Array<[unknown, number, string]> = [
      ['{"vault_id":', 400, "INVALID_JSON"],
      [{ ...valid, action: 7 }, 400, "VALIDATION_FAILED"],
      [{ ...valid, extra: 1 }, 400, "VALIDATION_FAILED"],
      [{ ...valid, action_config: { ...valid.action_config, from_address: "0xnope" } }, 400, "VALIDATION_FAILED"],
      [{ ...valid, vault_id: "alpha" }, 400, "VALIDATION_FAILED"],
      [{ ...valid, vault_id: "31337:0x00000000000000000000000000000000000000ff" }, 404, "VAULT_NOT_FOUND"],
      [{ ...valid, action_config: { ...valid.action_config, size_expr: "1 +" } }, 400, "VALIDATION_FAILED"],
      [{ ...valid, strategy_id: "x".repeat(70_000) }, 413, "PAYLOAD_TOO_LARGE"],
      // Nothing silently runs in another mode: the vault's own mode only.
      [{ ...valid, account_mode: "EIP4337" }, 400, "ACCOUNT_MODE_NOT_SUPPORTED_BY_VAULT"],
      [{ ...deltaSubmission, account_mode: "OMS" }, 400, "ACCOUNT_MODE_NOT_SUPPORTED_BY_VAULT"],
      [{ ...deltaSubmission, account_mode: "EIP4337_COMPANION" }, 400, "ACCOUNT_MODE_NOT_SUPPORTED_BY_VAULT"],
      // Its own mode, but this OMS has no bundler (no BUNDLER_URL): refused, never stored.
      [deltaSubmission, 400, "ACCOUNT_MODE_UNSUPPORTED"],
    ];
    for (const [body, status, code] of cases) {
      const res = await api("POST", "/defix/intents", MANAGER_ONE, body);
      expect([res.status, res.body.error.code]).toEqual([status, code]);
    }
    const gets: Array<[string, number, string]> = [
      ["/defix/intents?limit=1000000", 400, "VALIDATION_FAILED"],
      ["/defix/intents/00000000-0000-4000-8000-000000000000", 404, "INTENT_NOT_FOUND"],
      ["/defix/unknown", 404, "NOT_FOUND"],
    ];
    for (const [path, status, code] of gets) {
      const res = await api("GET", path, MANAGER_ONE);
      expect([res.status, res.body.error.code]).toEqual([status, code]);
    }
    for (const garbage of ["{", "[]", '{"jsonrpc":"2.0","id":1,"method":"proposeIntent","params":{}}']) {
      const res = await api("POST", "/rpc", MANAGER_ONE, garbage);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.body.error.code).toBeLessThan(-32000);
    }
    expect(await w.countIntents()).toBe(before);
  });

  it("cross-vault: a viewer cannot submit, another vault's intent is 404, its list filter 403", async () => {
    const body = submission(w.manifest, gamma, { action: "DEPOSIT", sizeExpr: "2000" });
    expect((await api("POST", "/defix/intents", VIEWER, body)).status).toBe(403);
    const created = await api("POST", "/defix/intents", MANAGER_TWO, body);
    expect(created.status).toBe(201);
    const hidden = await api("GET", `/defix/intents/${created.body.id}`, MANAGER_ONE);
    expect([hidden.status, hidden.body.error.code]).toEqual([404, "INTENT_NOT_FOUND"]);
    expect((await api("POST", `/defix/intents/${created.body.id}/cancel`, MANAGER_ONE)).status).toBe(404);
    expect((await api("GET", `/defix/intents?vault_id=${gamma.vault_id}`, MANAGER_ONE)).status).toBe(403);
    // No session key on GAMMA: the intent waits, so it can still be cancelled; then 409.
    const again = await api("POST", "/defix/intents", MANAGER_TWO, body);
    expect([again.status, again.body.id]).toEqual([200, created.body.id]);
    const canceled = await api("POST", `/defix/intents/${created.body.id}/cancel`, MANAGER_TWO);
    expect(canceled.body.state).toBe("CANCELED");
    const twice = await api("POST", `/defix/intents/${created.body.id}/cancel`, MANAGER_TWO);
    expect([twice.status, twice.body.error.code]).toEqual([409, "INTENT_TERMINAL"]);
  });

  it("happy path: grant the session key, submit with curl-style HTTP, reach COMPLETED with a real fill", async () => {
    const base = `/defix/vaults/${alpha.vault_id}/session-key`;
    const grant = await api("GET", `${base}/grant`, MANAGER_ONE);
    expect(grant.status).toBe(200);
    await w.sendAs(1, grant.body);
    await poll(async () => ((await api("GET", `${base}/readiness`, VIEWER)).body.is_ready ? true : null), "readiness");

    const submitted = await api(
      "POST",
      "/defix/intents",
      MANAGER_ONE,
      submission(w.manifest, alpha, { action: "DEPOSIT", sizeExpr: "1000000" }),
    );
    expect(submitted.status).toBe(201);
    const id: string = submitted.body.id;
    const done: Intent = await poll(async () => {
      const intent = (await api("GET", `/defix/intents/${id}`, VIEWER)).body as Intent;
      return ["COMPLETED", "ABORTED", "FAILED", "EXPIRED", "CANCELED"].includes(intent.state) ? intent : null;
    }, "a terminal state");
    expect(done).toMatchObject({ state: "COMPLETED", status: "Completed" });

    const fills = (await api("GET", `/defix/intents/${id}/fills`, VIEWER)).body.fills;
    expect(fills.length).toBeGreaterThan(0);
    const receipt = await w.client.getTransactionReceipt({ hash: fills[0].tx_hash });
    expect(receipt.status).toBe("success");
    expect((await api("GET", `/defix/intents/${id}/attempts`, VIEWER)).body.attempts[0].tx_hash).toBe(fills[0].tx_hash);

    // Every payload the OMS wrote is the one its message type promises in the wire contract.
    const events = IntentEventList.parse((await api("GET", `/defix/intents/${id}/events`, VIEWER)).body).events;
    expect(events.map((event) => event.seq_num)).toEqual(events.map((_, index) => index + 1));
    expect(events[0]?.message_type).toBe("INTENT_RECEIVED");
    expect(events.map((event) => event.message_type)).toEqual(
      expect.arrayContaining(["INTENT_ACKED", "INTENT_PLANNED", "INTENT_COMPLETED"]),
    );

    // SSE resume: after the first event, everything else arrives in order and the stream ends.
    const sse = await fetch(`${w.baseUrl}/defix/intents/${id}/events`, {
      headers: { ...(await w.bearer(VIEWER)), accept: "text/event-stream", "last-event-id": "1" },
    });
    const ids = [...(await sse.text()).matchAll(/^id: (\d+)$/gm)].map((match) => Number(match[1]));
    expect(ids).toEqual(events.slice(1).map((event) => event.seq_num));
  });

  it("many identical submits at once over HTTP: one 201, the rest 200 with the same intent", async () => {
    const body = submission(w.manifest, gamma, { action: "WITHDRAWAL", sizeExpr: "5", strategyId: "burst" });
    const results = await Promise.all(
      Array.from({ length: 12 }, () => api("POST", "/defix/intents", MANAGER_TWO, body)),
    );
    expect(results.filter((res) => res.status === 201)).toHaveLength(1);
    expect(results.filter((res) => res.status === 200)).toHaveLength(11);
    expect(new Set(results.map((res) => res.body.id)).size).toBe(1);
  });

  it("the list shows a user only the vaults they hold a role on", async () => {
    const viewerList = (await api("GET", "/defix/intents?limit=500", VIEWER)).body;
    expect(viewerList.data.length).toBeGreaterThan(0);
    expect(new Set(viewerList.data.map((intent: Intent) => intent.vault_id))).toEqual(new Set([alpha.vault_id]));
    expect(Object.keys(viewerList.facets.vault_id)).toEqual([alpha.vault_id]);
    const outsiderList = (await api("GET", "/defix/intents", OUTSIDER)).body;
    expect(outsiderList.data).toEqual([]);
  });

  it("JSON-RPC proposeIntent: signed by a manager, nonce single use in the database", async () => {
    const author = devAccount(2);
    const payload = {
      author: author.address,
      nonce: 42,
      ttl: Math.floor(Date.now() / 1000) + 600,
      intent: submission(w.manifest, alpha, { action: "DEPOSIT", sizeExpr: "3000" }),
    };
    const { ttl_seconds: _unused, ...intent } = payload.intent;
    const signed = { ...payload, intent };
    const announced = await api("POST", "/rpc", OUTSIDER, { jsonrpc: "2.0", id: 0, method: "getSigningDomain" });
    const domain = RpcSigningDomain.parse(announced.body.result);
    expect(domain.chainId).toBe(w.manifest.chain_id);
    const signature = await author.signTypedData(proposeIntentTypedData(domain, signed));
    const call = { jsonrpc: "2.0", id: 1, method: "proposeIntent", params: { intent: signed, signature } };
    const first = await api("POST", "/rpc", OUTSIDER, call);
    expect(first.status).toBe(200);
    expect(first.body.result.intent_id).toMatch(/^[0-9a-f-]{36}$/);
    const replay = await api("POST", "/rpc", OUTSIDER, call);
    expect([replay.status, replay.body.error.code]).toEqual([409, -32010]);
    const status = await api("POST", "/rpc", MANAGER_TWO, {
      jsonrpc: "2.0",
      id: 2,
      method: "getIntentStatus",
      params: [first.body.result.intent_id],
    });
    expect(status.body.result[0].intent_id).toBe(first.body.result.intent_id);
  });
});
