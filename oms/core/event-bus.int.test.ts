import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IntentEvent } from "../../lib/defix";
import type { Db } from "../store/db";
import { commitTransition, insertIntent } from "../store/intents-repo";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../store/test-support/databases";
import { receivedPayload } from "../store/test-support/fixtures";
import { createEventBus } from "./event-bus";

const silent = { warn: () => undefined, error: () => undefined };

describe.each(DIALECTS)("event bus poll on %s", (dialect) => {
  let testDb: TestDatabase;
  let writer: Db;
  let reader: Db;
  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
    writer = await testDb.open();
    reader = dialect === "postgres" ? await testDb.open() : writer;
  });
  afterAll(async () => {
    await testDb.destroy();
  });

  it("hears another process's events by position, also when their own time is long past", async () => {
    const before = await insertIntent(writer.db, receivedPayload({ config_hash: `0x${"01".repeat(32)}` }), new Date());
    const bus = createEventBus({ db: reader.db, pollMs: 20, log: silent });
    const heard: IntentEvent[] = [];
    bus.subscribe((event) => heard.push(event));
    await new Promise((resolve) => setTimeout(resolve, 100));
    // A drive's deferred step keeps its own (earlier) time: an hour old here.
    const anHourAgo = new Date(Date.now() - 3_600_000);
    const created = await insertIntent(writer.db, receivedPayload({ config_hash: `0x${"02".repeat(32)}` }), anHourAgo);
    if (created === null || before === null) throw new Error("not created");
    const acked = await commitTransition(
      writer.db,
      created.record,
      [{ message_type: "INTENT_ACKED", payload: { root: "0x", hooks: [] } }],
      anHourAgo,
    );
    const expected = [...created.events, ...acked.events].map((event) => event.event_id);
    const deadline = Date.now() + 5_000;
    while (heard.length < expected.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    bus.close();
    // Only what was committed after subscribing, in position order, once each.
    expect(heard.map((event) => event.event_id)).toEqual(expected);
  });
});
