import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../store/db";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../../store/test-support/databases";
import { alertChangesHead, listAlertChangesAfter, type RaiseAlertInput, raiseAlert, resolveAlert } from "./changes";

describe.each(DIALECTS)("alert changes on %s", (dialect) => {
  let testDb: TestDatabase;
  let handle: Db;
  let other: Db;
  const now = new Date("2026-01-01T00:00:00Z");
  const input = (key: string): RaiseAlertInput => ({
    vault_id: "vault-1",
    kind: "INTENT_WAITING",
    key,
    severity: "warning",
    title: "Intent waiting",
    message: "Waiting for gas",
    intent_id: "intent-1",
    details: { reason: "GAS" },
    now,
  });

  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
    handle = await testDb.open();
    // Two connections in one process on SQLite would block each other synchronously (better-sqlite3).
    other = dialect === "postgres" ? await testDb.open() : handle;
  });
  afterAll(async () => {
    await testDb.destroy();
  });

  it("raises once per open key, resolves, and a recurrence is a new alert", async () => {
    expect(await alertChangesHead(handle.db)).toBe(0);
    const raised = await raiseAlert(handle.db, input("INTENT_WAITING:intent-1"));
    expect(raised).toMatchObject({ position: 1, change: "raised", alert: { state: "open", intent_id: "intent-1" } });
    expect(await raiseAlert(handle.db, input("INTENT_WAITING:intent-1"))).toBeNull();
    const resolved = await resolveAlert(handle.db, { key: "INTENT_WAITING:intent-1", now });
    expect(resolved).toMatchObject({ position: 2, change: "resolved", alert: { state: "resolved" } });
    expect(resolved?.alert.alert_id).toBe(raised?.alert.alert_id);
    expect(await resolveAlert(handle.db, { key: "INTENT_WAITING:intent-1", now })).toBeNull();
    const again = await raiseAlert(handle.db, input("INTENT_WAITING:intent-1"));
    expect(again?.alert.alert_id).not.toBe(raised?.alert.alert_id);
    expect(await alertChangesHead(handle.db)).toBe(3);
    const changes = await listAlertChangesAfter(handle.db, 1, 10);
    expect(changes.map((c) => [c.position, c.change])).toEqual([
      [2, "resolved"],
      [3, "raised"],
    ]);
    expect(changes[1]?.alert.details).toEqual({ reason: "GAS" });
  });

  it("gives concurrent raisers of one key (two connections) one alert and gapless positions", async () => {
    const before = await alertChangesHead(handle.db);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => raiseAlert(i % 2 === 0 ? handle.db : other.db, input("KEY:race"))),
    );
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    await Promise.all(
      Array.from({ length: 6 }, (_, i) => raiseAlert(i % 2 === 0 ? handle.db : other.db, input(`KEY:many-${i}`))),
    );
    const changes = await listAlertChangesAfter(handle.db, before, 100);
    expect(changes.map((c) => c.position)).toEqual(Array.from({ length: 7 }, (_, i) => before + i + 1));
  });
});
