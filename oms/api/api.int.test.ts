import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devAccount } from "../../lib/chain/dev-accounts";
import { type Intent, IntentEventList } from "../../lib/defix";
import { proposeIntentTypedData, RpcSigningDomain } from "../../lib/defix/rpc-typed-data";
import type { VaultSummary } from "../../lib/defix/vaults";
import type { ManifestVault } from "../../lib/deployment/manifest";
import { submission } from "../domain/test-support/intents";
import { tamper } from "../kernel/test-support/tokens";
import { DIALECTS } from "../store/test-support/databases";
import { openApiPath } from "./openapi";
import { type OmsWorld, poll, startOmsWorld } from "./test-support/oms-world";

const MANAGER_ONE = devAccount(1).address; // primary of ALPHA, BETA, DELTA (EIP4337), EPSILON (EIP4337_COMPANION)
const MANAGER_TWO = devAccount(2).address; // primary of GAMMA and ZETA (EIP7702), secondary of ALPHA
const VIEWER = devAccount(3).address; // VIEW_ONLY on ALPHA
const OUTSIDER = devAccount(5).address;

describe.each(DIALECTS)("OMS HTTP API on %s", (dialect) => {
  let w: OmsWorld;
  let alpha: ManifestVault;
  let gamma: ManifestVault;

  beforeAll(async () => {
    w = await startOmsWorld(dialect);
    alpha = w.manifest.vaults.find((vault) => vault.symbol === "svALPHA")!;
    gamma = w.manifest.vaults.find((vault) => vault.symbol === "svGAMMA")!;
  });
  afterAll(async () => {
    await w?.stop();
  });

  const api = (...args: Parameters<OmsWorld["api"]>) => w.api(...args);

  it("health reports the chain and the database", async () => {
    const res = await api("GET", "/health", null);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: "ok",
      chain: { ok: true, chain_id: w.manifest.chain_id },
      database: { ok: true, dialect },
    });
  });

  it("401 for no, expired, tampered and wrong-audience tokens", async () => {
    const good = await w.issuer.sign({ sub: MANAGER_ONE.toLowerCase() });
    const cases: Array<[string | null, string]> = [
      [null, "UNAUTHENTICATED"],
      [await w.issuer.sign({ sub: MANAGER_ONE.toLowerCase(), expiresIn: -60 }), "TOKEN_EXPIRED"],
      [tamper(good), "TOKEN_INVALID"],
      [await w.issuer.sign({ sub: MANAGER_ONE.toLowerCase(), audience: "other" }), "TOKEN_INVALID"],
    ];
    for (const [token, code] of cases) {
      const res = await api(
        "GET",
        "/defix/intents",
        null,
        undefined,
        token ? { authorization: `Bearer ${token}` } : {},
      );
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe(code);
    }
  });

  it("vault roles come from the chain registry and VIEW_ONLY", async () => {
    const roles = async (who: string) =>
      Object.fromEntries(
        (await api("GET", "/defix/vaults", who)).body.vaults.map((vault: { name: string; role: string }) => [
          vault.name,
          vault.role,
        ]),
      );
    expect(await roles(MANAGER_ONE)).toEqual({
      "Alpha Vault": "PRIMARY_MANAGER",
      "Beta Vault": "PRIMARY_MANAGER",
      "Delta Vault": "PRIMARY_MANAGER",
      "Epsilon Vault": "PRIMARY_MANAGER",
    });
    expect(await roles(MANAGER_TWO)).toEqual({
      "Alpha Vault": "SECONDARY_MANAGER",
      "Gamma Vault": "PRIMARY_MANAGER",
      "Zeta Vault": "PRIMARY_MANAGER",
    });
    expect(await roles(VIEWER)).toEqual({ "Alpha Vault": "VIEW_ONLY" });
    expect(await roles(OUTSIDER)).toEqual({});
  });

  it("each vault shows its account mode, the modes it supports and where its session keys live", async () => {
    const listed = async (who: string) => (await api("GET", "/defix/vaults", who)).body.vaults as VaultSummary[];
    const all = [...(await listed(MANAGER_ONE)), ...(await listed(MANAGER_TWO))];
    const bySymbol = new Map(all.map((vault) => [vault.symbol, vault]));
    const mode = (symbol: string) => {
      const vault = bySymbol.get(symbol)!;
      return [vault.account_mode, vault.supported_modes, vault.key_holder];
    };
    const manifestVault = (symbol: string) => w.manifest.vaults.find((vault) => vault.symbol === symbol)!;
    expect(mode("svALPHA")).toEqual(["OMS", ["OMS"], w.manifest.contracts.executor]);
    expect(mode("svDELTA")).toEqual(["EIP4337", ["EIP4337"], manifestVault("svDELTA").address]);
    expect(mode("svEPSILON")).toEqual([
      "EIP4337_COMPANION",
      ["EIP4337_COMPANION"],
      manifestVault("svEPSILON").companion,
    ]);
    expect(mode("svZETA")).toEqual(["EIP7702", ["EIP7702"], manifestVault("svZETA").delegate_eoa]);
  });

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

  it("the vault stream delivers a new intent's events live, in order", async () => {
    const controller = new AbortController();
    const stream = await fetch(`${w.baseUrl}/defix/stream?vault_id=${alpha.vault_id}`, {
      headers: { ...(await w.bearer(VIEWER)), accept: "text/event-stream" },
      signal: controller.signal,
    });
    expect(stream.status).toBe(200);
    const submitted = await api(
      "POST",
      "/defix/intents",
      MANAGER_ONE,
      submission(w.manifest, alpha, { action: "DEPOSIT", sizeExpr: "2000000" }),
    );
    expect(submitted.status).toBe(201);
    const reader = stream.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    const seen: Array<{ seq_num: number; message_type: string; vault_id: string }> = [];
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && !seen.some((event) => event.message_type === "INTENT_COMPLETED")) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      const frames = text.split("\n\n");
      text = frames.pop() ?? "";
      for (const frame of frames) {
        const data = frame.split("\n").find((line) => line.startsWith("data: "));
        const event = data ? JSON.parse(data.slice(6)) : null;
        if (event?.intent_id === submitted.body.id) seen.push(event);
      }
    }
    controller.abort();
    expect(seen.map((event) => event.seq_num)).toEqual(seen.map((_, index) => index + 1));
    expect(seen.every((event) => event.vault_id === alpha.vault_id)).toBe(true);
    expect(seen.at(-1)?.message_type).toBe("INTENT_COMPLETED");
  });

  it("the vault stream resumes by position: a reconnect gets every event it missed, in order, once", async () => {
    const submitted = await api(
      "POST",
      "/defix/intents",
      MANAGER_ONE,
      submission(w.manifest, alpha, { action: "DEPOSIT", sizeExpr: "2100000" }),
    );
    expect(submitted.status).toBe(201);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const intent = (await api("GET", `/defix/intents/${submitted.body.id}`, VIEWER)).body;
      if (intent.state === "COMPLETED") break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const log = (await api("GET", `/defix/intents/${submitted.body.id}/events`, VIEWER)).body.events as Array<{
      event_id: string;
      position: number;
    }>;
    expect(log.at(-1)).toMatchObject({ message_type: "INTENT_COMPLETED" });
    const resumeAfter = (log[0]?.position ?? 0) as number;
    const controller = new AbortController();
    const stream = await fetch(`${w.baseUrl}/defix/stream?vault_id=${alpha.vault_id}`, {
      headers: { ...(await w.bearer(VIEWER)), accept: "text/event-stream", "last-event-id": String(resumeAfter) },
      signal: controller.signal,
    });
    const reader = stream.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    const ids: number[] = [];
    const mine: string[] = [];
    while (Date.now() < deadline && mine.length < log.length - 1) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      const frames = text.split("\n\n");
      text = frames.pop() ?? "";
      for (const frame of frames) {
        const id = frame.split("\n").find((line) => line.startsWith("id: "));
        const data = frame.split("\n").find((line) => line.startsWith("data: "));
        const event = data ? JSON.parse(data.slice(6)) : null;
        if (id) ids.push(Number(id.slice(4)));
        if (event?.intent_id === submitted.body.id) mine.push(event.event_id);
      }
    }
    controller.abort();
    expect(mine).toEqual(log.slice(1).map((event) => event.event_id));
    expect(ids[0]).toBeGreaterThan(resumeAfter);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
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

  it("OpenAPI documents every registered route, session keys included", async () => {
    const doc = (await api("GET", "/openapi.json", null)).body;
    const documented = Object.entries(doc.paths as Record<string, object>).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const registered = w.oms.app.registeredRoutes.map((route) => `${route.method} ${openApiPath(route.url)}`);
    expect(documented.sort()).toEqual([...registered].sort());
    expect(registered).toContain("GET /defix/vaults/{vault_id}/session-key/readiness");
  });
});
