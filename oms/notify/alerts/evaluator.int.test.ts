import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AlertChange } from "../../../lib/defix/alerts";
import type { Readiness } from "../../../lib/defix/session-keys";
import type { Db } from "../../store/db";
import { insertIntent } from "../../store/intent-batch";
import { commitTransition } from "../../store/intents-repo";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../../store/test-support/databases";
import { receivedPayload } from "../../store/test-support/fixtures";
import { type AlertEvaluator, startAlertEvaluator } from "./evaluator";
import { type AlertService, createAlertService } from "./service";

const VAULT = "31337:0x00000000000000000000000000000000000000aa";
const KEY = "0x00000000000000000000000000000000000000c1";
const log = { warn: () => undefined, error: () => undefined };

describe.each(DIALECTS)("alert evaluator on %s", (dialect) => {
  let testDb: TestDatabase;
  let handle: Db;
  let evaluator: AlertEvaluator;
  let service: AlertService;
  const changes: AlertChange[] = [];
  let readiness: Readiness;
  let hashes = 0;

  async function intent(at = new Date()) {
    hashes += 1;
    const created = await insertIntent(
      handle.db,
      receivedPayload({ config_hash: `0x${hashes.toString(16).padStart(64, "0")}` }),
      at,
    );
    if (!created) throw new Error("intent not created");
    return created.record;
  }
  async function until(check: () => boolean): Promise<void> {
    for (let i = 0; i < 100 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const list = (subject: string) => service.list({ subject, vaultIds: [VAULT], limit: 50 });

  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
    handle = await testDb.open();
    readiness = {
      vault_id: VAULT,
      is_ready: true,
      session_key_address: KEY,
      expires_at: new Date(Date.now() + 30 * 60_000).toISOString(),
      pending_rotation: false,
      reason: null,
      pending_session_key_address: null,
      checked_at: new Date().toISOString(),
      balance_wei: "5000",
    };
    service = createAlertService({ db: handle.db, log: { warn: () => undefined, error: () => undefined } });
    evaluator = await startAlertEvaluator({
      db: handle.db,
      vaultIds: [VAULT],
      readiness: async () => readiness,
      executionCostWei: async () => 1000n,
      owner: "test",
      log,
      tickMs: 3_600_000,
      onChange: (change) => changes.push(change),
    });
  });
  afterAll(async () => {
    await evaluator?.close();
    await testDb?.destroy();
  });

  it("raises an alert once when an intent ends ABORTED, with its intent and reason", async () => {
    const record = await intent();
    await commitTransition(
      handle.db,
      record,
      [{ message_type: "INTENT_ABORTED", payload: { error: { code: "PLAN_FAILED", message: "no route" } } }],
      new Date(),
    );
    evaluator.wake();
    await until(() => changes.some((c) => c.alert.intent_id === record.id));
    const raised = changes.filter((c) => c.alert.intent_id === record.id);
    expect(raised).toHaveLength(1);
    expect(raised[0]?.alert).toMatchObject({ kind: "INTENT_ABORTED", vault_id: VAULT, message: "no route" });
  });

  it("sweeps key expiry (24 h and 1 h), low gas, long waits and a failing strategy; resolves when they clear", async () => {
    const waiting = await intent(new Date(Date.now() - 60 * 60_000));
    await commitTransition(
      handle.db,
      waiting,
      [{ message_type: "WAITING", payload: { reason: "SESSION_KEY_NOT_READY", message: "no key" } }],
      new Date(Date.now() - 59 * 60_000),
    );
    for (let i = 0; i < 4; i++) {
      const failing = await intent();
      await commitTransition(
        handle.db,
        failing,
        [{ message_type: "INTENT_ABORTED", payload: { error: { code: "X", message: "x" } } }],
        new Date(),
      );
    }
    await evaluator.sweep();
    const open = (await service.list({ subject: "u", vaultIds: [VAULT], state: "open", limit: 50 })).alerts;
    const kinds = open.map((a) => a.kind);
    expect(kinds).toEqual(
      expect.arrayContaining([
        "SESSION_KEY_EXPIRES_24H",
        "SESSION_KEY_EXPIRES_1H",
        "GAS_LOW",
        "INTENT_WAITING",
        "FAILURE_RATE_HIGH",
      ]),
    );
    expect(open.find((a) => a.kind === "INTENT_WAITING")?.details).toMatchObject({ reason: "SESSION_KEY_NOT_READY" });
    expect(open.find((a) => a.kind === "GAS_LOW")?.details).toMatchObject({ executions_left: 5 });
    // Raised once: a second sweep changes nothing.
    const before = changes.length;
    await evaluator.sweep();
    expect(changes.length).toBe(before);
    // The key is renewed and funded: its alerts resolve, history stays.
    readiness = {
      ...readiness,
      expires_at: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      balance_wei: "1000000",
    };
    await evaluator.sweep();
    const after = await service.list({ subject: "u", vaultIds: [VAULT], limit: 50 });
    const keyAlerts = after.alerts.filter((a) => a.kind.startsWith("SESSION_KEY") || a.kind === "GAS_LOW");
    expect(keyAlerts.map((a) => a.state)).toEqual(["resolved", "resolved", "resolved"]);
  });

  it("keeps read flags per user; read-all marks what exists so far; pages by cursor", async () => {
    const first = await list("alice");
    expect(first.unread).toBe(first.alerts.length);
    const target = first.alerts[0];
    if (!target) throw new Error("no alerts");
    await service.markRead(target.alert_id, "alice");
    expect((await list("alice")).unread).toBe(first.unread - 1);
    expect((await list("bob")).unread).toBe(first.unread);
    expect((await list("alice")).alerts.find((a) => a.alert_id === target.alert_id)?.is_read).toBe(true);
    expect(await service.markAllRead("bob", [VAULT])).toBe(0);
    await service.reportKillSwitch(VAULT, true);
    const bob = await list("bob");
    expect(bob.unread).toBe(1);
    expect(bob.alerts[0]).toMatchObject({ kind: "KILL_SWITCH_ENGAGED", is_read: false });
    const unread = await service.list({ subject: "bob", vaultIds: [VAULT], unread: true, limit: 50 });
    expect(unread.alerts.map((a) => a.kind)).toEqual(["KILL_SWITCH_ENGAGED"]);
    const page1 = await service.list({ subject: "bob", vaultIds: [VAULT], limit: 2 });
    const page2 = await service.list({
      subject: "bob",
      vaultIds: [VAULT],
      limit: 2,
      cursor: Number(page1.next_cursor),
    });
    expect(page1.alerts).toHaveLength(2);
    expect(page2.alerts[0]?.alert_id).not.toBe(page1.alerts[1]?.alert_id);
    expect(await service.list({ subject: "bob", vaultIds: [], limit: 5 })).toMatchObject({ alerts: [], unread: 0 });
    await service.reportKillSwitch(VAULT, false);
    expect(
      (await service.list({ subject: "bob", vaultIds: [VAULT], state: "open", limit: 50 })).alerts.map((a) => a.kind),
    ).not.toContain("KILL_SWITCH_ENGAGED");
  });

  it("answers default thresholds and stores a vault's own", async () => {
    expect(await service.settings(VAULT)).toMatchObject({ waiting_minutes: 15, min_executions_left: 10 });
    const stored = await service.putSettings(
      VAULT,
      {
        waiting_minutes: 90,
        min_executions_left: 3,
        failure_rate: 0.9,
        failure_window_minutes: 30,
        failure_min_intents: 10,
      },
      "alice",
    );
    expect(stored.waiting_minutes).toBe(90);
    await evaluator.sweep();
    const open = (await service.list({ subject: "u", vaultIds: [VAULT], state: "open", limit: 50 })).alerts;
    expect(open.map((a) => a.kind)).not.toContain("INTENT_WAITING");
    expect(open.map((a) => a.kind)).not.toContain("FAILURE_RATE_HIGH");
  });
});
