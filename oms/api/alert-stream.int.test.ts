import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AlertChange } from "../../lib/defix/alerts";
import { pgListener, type Wakeup } from "../kernel/pg-listen";
import { ALERT_CHANNEL, raiseAlert, resolveAlert } from "../notify/alerts/changes";
import { type AlertService, createAlertService } from "../notify/alerts/service";
import type { Db } from "../store/db";
import { createTestDatabase, killListener, type TestDatabase } from "../store/test-support/databases";
import { VAULT_A, VAULT_B } from "./test-support/fixtures";
import { createUnitHarness, type UnitHarness, VIEWER } from "./test-support/harness";

const silent = { warn: () => undefined, error: () => undefined };
/** Neither the SSE heartbeat nor (unless a test asks) the feed's backstop tick may deliver anything here. */
const NEVER_MS = 600_000;

/** Reads `event: alert` frames from an open SSE response, one change at a time. */
function alertFrames(body: NonNullable<Response["body"]>) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  return async function next(timeoutMs = 5_000): Promise<AlertChange> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = /event: alert\ndata: (.*)\n\n/.exec(buffer);
      if (match?.[1] !== undefined) {
        buffer = buffer.slice(match.index + match[0].length);
        return JSON.parse(match[1]) as AlertChange;
      }
      if (Date.now() > deadline) throw new Error(`no alert frame within ${timeoutMs} ms`);
      const timer = new Promise<{ done: true; value: undefined }>((resolve) =>
        setTimeout(() => resolve({ done: true, value: undefined }), deadline - Date.now()),
      );
      const { value } = await Promise.race([reader.read(), timer]);
      if (value !== undefined) buffer += value;
    }
  };
}

/**
 * Two OMS processes on one PostgreSQL database (two pools): process A serves the alert stream, process
 * B raises and resolves alerts and tells A nothing in-process. A hears them by PostgreSQL NOTIFY on the
 * alert counter (or, without a listener, by the feed's backstop tick), reads them by alert-change
 * position, and sends each once, in order.
 */
describe("alert stream across OMS processes (PostgreSQL)", () => {
  let testDb: TestDatabase;
  let processA: Db;
  let processB: Db;
  const open: { close(): Promise<void> }[] = [];

  beforeAll(async () => {
    testDb = await createTestDatabase("postgres");
    processA = await testDb.open();
    processB = await testDb.open();
  });
  afterAll(async () => {
    for (const closable of open.reverse()) await closable.close();
    await testDb?.destroy();
  });

  async function serve(alerts: AlertService): Promise<UnitHarness & { base: string }> {
    const h = await createUnitHarness({ alerts, heartbeatMs: NEVER_MS });
    await h.app.listen({ port: 0, host: "127.0.0.1" });
    open.push({ close: () => h.app.close() }, alerts);
    return { ...h, base: `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}` };
  }
  async function subscribe(h: UnitHarness & { base: string }) {
    const controller = new AbortController();
    open.push({ close: async () => controller.abort() });
    const response = await fetch(`${h.base}/defix/alerts/stream`, {
      headers: { ...(await h.bearer(VIEWER)), accept: "text/event-stream" },
      signal: controller.signal,
    });
    if (!response.body) throw new Error("no body");
    return alertFrames(response.body);
  }
  const raiseInB = (vaultId: string, key: string) =>
    raiseAlert(processB.db, {
      vault_id: vaultId,
      kind: "INTENT_FAILED",
      key,
      severity: "critical",
      title: `failed ${key}`,
      message: "reverted",
      now: new Date(),
    });

  it("delivers another process's changes on NOTIFY alone, exactly, and catches up after the listener is killed", async () => {
    let connects = 0;
    const listener = pgListener({ connectionString: testDb.databaseUrl ?? "", channel: ALERT_CHANNEL, log: silent });
    const alerts = createAlertService({
      db: processA.db,
      log: silent,
      feedTickMs: NEVER_MS,
      wakeups: {
        start: (onWake: (cue: Wakeup) => void) =>
          listener.start((cue) => {
            if (cue.kind === "connected") connects++;
            onWake(cue);
          }),
      },
    });
    const h = await serve(alerts);
    const next = await subscribe(h);
    for (let i = 0; i < 100 && connects === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(connects).toBe(1);

    const first = await raiseInB(VAULT_A, "x-1");
    await raiseInB(VAULT_B, "x-hidden"); // not the viewer's vault
    const second = await raiseInB(VAULT_A, "x-2");
    const resolved = await resolveAlert(processB.db, { key: "x-1", now: new Date() });
    const heard = [await next(), await next(), await next()];
    expect(heard.map((c) => [c.position, c.change, c.alert.title])).toEqual([
      [first?.position, "raised", "failed x-1"],
      [second?.position, "raised", "failed x-2"],
      [resolved?.position, "resolved", "failed x-1"],
    ]);

    // Changes committed while nobody listens are announced to nobody: the reconnect's catch-up reads them.
    // First let the head reads those four NOTIFYs queued finish (no tick runs here), or one still queued
    // could read x-3 before the reconnect does.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await killListener(processB.db, ALERT_CHANNEL)).toBe(1);
    const whileDown = await raiseInB(VAULT_A, "x-3");
    const caughtUp = await next();
    expect([caughtUp.position, caughtUp.alert.title]).toEqual([whileDown?.position, "failed x-3"]);
    expect(connects).toBe(2);
    // And NOTIFY works again after the reconnect; nothing was sent twice.
    const after = await raiseInB(VAULT_A, "x-4");
    expect((await next()).position).toBe(after?.position);
  });

  it("delivers another process's change by the backstop tick when no NOTIFY arrives", async () => {
    const h = await serve(createAlertService({ db: processA.db, log: silent, feedTickMs: 100 }));
    const next = await subscribe(h);
    // Let the stream open at the current head before the other process writes.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const change = await raiseInB(VAULT_A, "tick-1");
    expect((await next()).position).toBe(change?.position);
  });
});
