import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IntentEvent } from "../../lib/defix";
import { pgListener, type Wakeup } from "../kernel/pg-listen";
import type { Db } from "../store/db";
import { insertIntent } from "../store/intent-batch";
import { commitTransition } from "../store/intents-repo";
import { POSITION_CHANNEL } from "../store/positions";
import {
  createTestDatabase,
  DIALECTS,
  killListener,
  type TestDatabase,
  withTestDatabase,
} from "../store/test-support/databases";
import { receivedPayload } from "../store/test-support/fixtures";
import { createEventBus } from "./event-bus";

const silent = { warn: () => undefined, error: () => undefined };
let hashes = 100;
const nextPayload = () => receivedPayload({ config_hash: `0x${(++hashes).toString(16).padStart(64, "0")}` });

async function waitFor(isDone: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!isDone()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

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
    await bus.close();
    // Only what was committed after subscribing, in position order, once each.
    expect(heard.map((event) => event.event_id)).toEqual(expected);
  });
});

describe("event bus cues", () => {
  let testDb: TestDatabase;
  let handle: Db;
  beforeAll(async () => {
    testDb = await createTestDatabase("sqlite");
    handle = await testDb.open();
  });
  afterAll(async () => {
    await testDb.destroy();
  });

  it("reads nothing for a cue of its own commit published within the settle time; reads another's commit", async () => {
    let queries = 0;
    const counted = handle.db.withPlugin({
      transformQuery: (args) => {
        queries += 1;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    let cue: (wakeup: Wakeup) => void = () => undefined;
    const bus = createEventBus({
      db: counted,
      pollMs: null,
      wakeups: {
        start(onWake) {
          cue = onWake;
          return { close: async () => undefined };
        },
      },
      log: silent,
    });
    const heard: string[] = [];
    bus.subscribe((event) => heard.push(event.event_id));
    await waitFor(() => bus.isListening(), "the head read");
    const ours = await insertIntent(handle.db, nextPayload(), new Date());
    if (ours === null) throw new Error("not created");
    const before = queries;
    // The NOTIFY of our commit first, then (as the submit goes on) its publish.
    cue({ kind: "notified", payload: String(ours.events[0]?.position) });
    bus.publish(ours.events);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(queries).toBe(before);
    expect(heard).toEqual(ours.events.map((event) => event.event_id));
    // Another process's commit is never published here: the cue reads it.
    const theirs = await insertIntent(handle.db, nextPayload(), new Date());
    if (theirs === null) throw new Error("not created");
    cue({ kind: "notified", payload: String(theirs.events[0]?.position) });
    await waitFor(() => heard.length === 2, "the other commit");
    expect(heard[1]).toBe(theirs.events[0]?.event_id);
    expect(queries).toBeGreaterThan(before);
    await bus.close();
  });
});

describe("event bus woken by PostgreSQL LISTEN/NOTIFY", () => {
  let testDb: TestDatabase;
  let writer: Db;
  let reader: Db;
  beforeAll(async () => {
    testDb = await createTestDatabase("postgres");
    // Two pools: two OMS processes on one database.
    writer = await testDb.open();
    reader = await testDb.open();
  });
  afterAll(async () => {
    await testDb.destroy();
  });

  it("delivers another process's commits on NOTIFY alone, and resumes with nothing missed after the listener is killed", async () => {
    const warnings: string[] = [];
    const log = { warn: (message: string) => warnings.push(message), error: () => undefined };
    const connectionString = testDb.databaseUrl ?? "";
    let connects = 0;
    const listener = pgListener({ connectionString, channel: POSITION_CHANNEL, log });
    // No safety tick: only a NOTIFY (or the catch-up after a reconnect) can make the bus read.
    const bus = createEventBus({
      db: reader.db,
      pollMs: null,
      log,
      wakeups: {
        start: (onWake) =>
          listener.start((cue) => {
            if (cue.kind === "connected") connects++;
            onWake(cue);
          }),
      },
    });
    const heard: IntentEvent[] = [];
    bus.subscribe((event) => heard.push(event));
    await waitFor(() => connects === 1, "the listening connection");

    const committed: string[] = [];
    const first = await insertIntent(writer.db, nextPayload(), new Date());
    committed.push(...(first?.events.map((event) => event.event_id) ?? []));
    await waitFor(() => heard.length === committed.length, "the first event");

    // Kill the listening connection, then commit while it is down: those NOTIFYs reach nobody.
    expect(await killListener(reader.db, POSITION_CHANNEL)).toBe(1);
    for (let i = 0; i < 3; i++) {
      const created = await insertIntent(writer.db, nextPayload(), new Date());
      if (created === null) throw new Error("duplicate");
      const acked = await commitTransition(
        writer.db,
        created.record,
        [{ message_type: "INTENT_ACKED", payload: { root: "0x", hooks: [] } }],
        new Date(),
      );
      committed.push(...[...created.events, ...acked.events].map((event) => event.event_id));
    }
    await waitFor(() => connects === 2, "the reconnect");
    // And after the reconnect, NOTIFY works again.
    const last = await insertIntent(writer.db, nextPayload(), new Date());
    committed.push(...(last?.events.map((event) => event.event_id) ?? []));
    await waitFor(() => heard.length >= committed.length, "every event");
    await bus.close();
    expect(heard.map((event) => event.event_id)).toEqual(committed);
    expect(warnings.some((message) => message.includes("listening connection lost"))).toBe(true);
  });
});

describe.each(DIALECTS)("event bus on %s: its own commits", (dialect) => {
  let _testDb: TestDatabase;
  let handle: Db;
  withTestDatabase(dialect, (opened, database) => {
    handle = opened;
    _testDb = database;
  });

  it("reads nothing back for a cue about its own published commits, and reads after a gap", async () => {
    let queries = 0;
    const counted = handle.db.withPlugin({
      transformQuery: (args) => {
        queries += 1;
        return args.node;
      },
      transformResult: (args) => Promise.resolve(args.result),
    });
    let cue: ((wakeup: Wakeup) => void) | undefined;
    const bus = createEventBus({
      db: counted,
      pollMs: null,
      log: silent,
      wakeups: {
        start: (onWake) => {
          cue = onWake;
          return { close: async () => undefined };
        },
      },
    });
    const heard: IntentEvent[] = [];
    bus.subscribe((event) => heard.push(event));
    await waitFor(() => queries > 0, "the head read");
    const settled = () => new Promise((resolve) => setTimeout(resolve, 50));
    await settled();

    // Ours, right after the head: published in process, so its NOTIFY needs no read.
    const ours = await insertIntent(handle.db, nextPayload(), new Date());
    if (ours === null) throw new Error("not created");
    bus.publish(ours.events);
    const before = queries;
    cue?.({ kind: "notified", payload: String(ours.events[0]?.position) });
    await settled();
    expect(queries).toBe(before);

    // A commit this bus never saw published (another process), then ours: the cue reads the gap, once each.
    const theirs = await insertIntent(handle.db, nextPayload(), new Date());
    const next = await insertIntent(handle.db, nextPayload(), new Date());
    if (theirs === null || next === null) throw new Error("not created");
    bus.publish(next.events);
    cue?.({ kind: "notified", payload: String(next.events[0]?.position) });
    await waitFor(() => heard.length === 3, "the other process's event");
    expect(queries).toBeGreaterThan(before);
    expect(heard.map((event) => event.event_id)).toEqual(
      [ours, next, theirs].map((created) => created.events[0]?.event_id),
    );
    await bus.close();
  });
});
