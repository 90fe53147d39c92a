import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consumerHealth } from "./health";
import { raiseAlert } from "./notify/alerts/changes";
import { alertSource, eventSource } from "./notify/webhooks/sources";
import { leaseConsumer } from "./store/consumers";
import type { Db } from "./store/db";
import { createTestDatabase, type TestDatabase } from "./store/test-support/databases";

describe("/health consumers", () => {
  let testDb: TestDatabase;
  let db: Db;
  beforeAll(async () => {
    testDb = await createTestDatabase("sqlite");
    db = await testDb.open();
  });
  afterAll(async () => {
    await testDb.destroy();
  });

  it("measures an alert-change consumer's lag against the alert-change head, an event consumer's against the event head", async () => {
    for (const name of [alertSource.consumer, eventSource.consumer]) {
      await leaseConsumer(db.db, { name, owner: "test", now: new Date(), leaseMs: 60_000, initialPosition: 0 });
    }
    for (const key of ["a", "b", "c"]) {
      await raiseAlert(db.db, {
        vault_id: "31337:0x01",
        kind: "INTENT_FAILED",
        key,
        severity: "critical",
        title: key,
        message: key,
        now: new Date(),
      });
    }
    const consumers = await consumerHealth(db, []);
    const lagOf = (name: string) => consumers?.find((consumer) => consumer.name === name)?.lag;
    // Three alert changes and no events.
    expect(lagOf(alertSource.consumer)).toBe(3);
    expect(lagOf(eventSource.consumer)).toBe(0);
  });
});
