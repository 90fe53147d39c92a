import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { raiseAlert } from "../notify/alerts/changes";
import { type AlertService, createAlertService } from "../notify/alerts/service";
import type { Db } from "../store/db";
import { createTestDatabase, type TestDatabase } from "../store/test-support/databases";
import { VAULT_A, VAULT_B } from "./test-support/fixtures";
import {
  createUnitHarness,
  OUTSIDER,
  PRIMARY,
  SECONDARY,
  SERVICE,
  type UnitHarness,
  VIEWER,
} from "./test-support/harness";

describe("alert routes", () => {
  let testDb: TestDatabase;
  let handle: Db;
  let alerts: AlertService;
  let h: UnitHarness;
  let onlyB = "";

  async function raise(vaultId: string, key: string) {
    const change = await raiseAlert(handle.db, {
      vault_id: vaultId,
      kind: "INTENT_FAILED",
      key,
      severity: "critical",
      title: `failed ${key}`,
      message: "reverted",
      intent_id: null,
      now: new Date(),
    });
    if (!change) throw new Error("not raised");
    alerts.notify(change);
    return change.alert.alert_id;
  }
  const get = async (sub: string, url: string) => h.app.inject({ method: "GET", url, headers: await h.bearer(sub) });
  const send = async (
    sub: string,
    method: "POST" | "PUT",
    url: string,
    payload: unknown,
    claims?: Record<string, unknown>,
  ) => h.app.inject({ method, url, headers: await h.bearer(sub, claims), payload: payload as object });

  beforeAll(async () => {
    testDb = await createTestDatabase("sqlite");
    handle = await testDb.open();
    alerts = createAlertService({ db: handle.db, log: { warn: () => undefined, error: () => undefined } });
    h = await createUnitHarness({ alerts });
    await raise(VAULT_A, "a-1");
    await raise(VAULT_A, "a-2");
    onlyB = await raise(VAULT_B, "b-1");
  });
  afterAll(async () => {
    await h?.app.close();
    await testDb?.destroy();
  });

  it("lists only the caller's vaults' alerts, with the caller's unread count", async () => {
    const viewer = await get(VIEWER, "/defix/alerts");
    expect(viewer.statusCode).toBe(200);
    expect(viewer.json().alerts.map((a: { vault_id: string }) => a.vault_id)).toEqual([VAULT_A, VAULT_A]);
    expect(viewer.json().unread).toBe(2);
    expect((await get(PRIMARY, "/defix/alerts")).json().unread).toBe(3);
    expect((await get(OUTSIDER, "/defix/alerts")).json()).toMatchObject({ alerts: [], unread: 0 });
    expect((await get(VIEWER, `/defix/alerts?vault_id=${encodeURIComponent(VAULT_B)}`)).statusCode).toBe(403);
    expect((await get(VIEWER, "/defix/alerts?limit=1000")).statusCode).toBe(400);
  });

  it("marks read per user; another vault's alert id answers 404", async () => {
    expect((await send(VIEWER, "POST", `/defix/alerts/${onlyB}/read`, {})).statusCode).toBe(404);
    const first = (await get(VIEWER, "/defix/alerts")).json().alerts[0].alert_id as string;
    const read = await send(VIEWER, "POST", `/defix/alerts/${first}/read`, {});
    expect(read.json()).toEqual({ unread: 1 });
    expect((await get(SECONDARY, "/defix/alerts")).json().unread).toBe(2);
    expect((await send(VIEWER, "POST", "/defix/alerts/read-all", {})).json()).toEqual({ unread: 0 });
    expect((await get(VIEWER, "/defix/alerts?unread=true")).json().alerts).toEqual([]);
  });

  it("lets managers read the thresholds and only the primary change them", async () => {
    const url = `/defix/vaults/${encodeURIComponent(VAULT_A)}/alert-settings`;
    expect((await get(VIEWER, url)).statusCode).toBe(403);
    expect((await get(SECONDARY, url)).json()).toMatchObject({ waiting_minutes: 15 });
    expect((await send(SECONDARY, "PUT", url, { waiting_minutes: 5 })).statusCode).toBe(403);
    expect((await send(PRIMARY, "PUT", url, { waiting_minutes: 0 })).statusCode).toBe(400);
    expect((await send(PRIMARY, "PUT", url, { waiting_minutes: 5, extra: 1 })).statusCode).toBe(400);
    const put = await send(PRIMARY, "PUT", url, { waiting_minutes: 5 });
    expect(put.json()).toMatchObject({ waiting_minutes: 5, min_executions_left: 10 });
  });

  it("takes the kill switch report from the runner's service identity only", async () => {
    const url = `/defix/vaults/${encodeURIComponent(VAULT_A)}/kill-switch-state`;
    expect((await send(PRIMARY, "PUT", url, { engaged: true })).statusCode).toBe(403);
    expect((await send(SERVICE, "PUT", url, { engaged: true }, { svc_vaults: [VAULT_B] })).statusCode).toBe(403);
    expect((await send(SERVICE, "PUT", url, { engaged: true }, { svc_vaults: [VAULT_A] })).statusCode).toBe(200);
    const open = (await get(VIEWER, "/defix/alerts?state=open")).json().alerts;
    expect(open[0]).toMatchObject({ kind: "KILL_SWITCH_ENGAGED", is_read: false });
  });

  it("streams alert changes of the caller's vaults as `event: alert` frames", async () => {
    await h.app.listen({ port: 0, host: "127.0.0.1" });
    const base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
    const controller = new AbortController();
    const response = await fetch(`${base}/defix/alerts/stream`, {
      headers: { ...(await h.bearer(VIEWER)), accept: "text/event-stream" },
      signal: controller.signal,
    });
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader();
    if (!reader) throw new Error("no body");
    await raise(VAULT_B, "b-2"); // not the viewer's vault: never sent
    await raise(VAULT_A, "a-3");
    let text = "";
    while (!text.includes("failed a-3")) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    controller.abort();
    expect(text).toMatch(/event: alert\ndata: .*"change":"raised".*failed a-3/);
    expect(text).not.toContain("failed b-2");
    expect(text).not.toMatch(/^id:/m);
  });
});
