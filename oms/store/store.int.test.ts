import { describe, expect, it } from "vitest";
import { createOmsDb, migrations } from "../migrations";
import type { Db } from "./db";
import { StaleIntentError } from "./errors";
import { listEvents } from "./events-repo";
import { insertIntent } from "./intent-batch";
import { commitTransition, findLiveIntent, getIntent } from "./intents-repo";
import { claimDueIntents, releaseIntent } from "./leases-repo";
import { listIntents } from "./list-repo";
import { DIALECTS, type TestDatabase, withTestDatabase } from "./test-support/databases";
import { receivedPayload } from "./test-support/fixtures";

const abort = { message_type: "INTENT_ABORTED", payload: { error: { code: "X", message: "x" } } } as const;

describe.each(DIALECTS)("store on %s", (dialect) => {
  let testDb: TestDatabase;
  let handle: Db;

  withTestDatabase(dialect, (opened, database) => {
    handle = opened;
    testDb = database;
  });

  it("migrates idempotently, also when processes start together", async () => {
    const open = () => createOmsDb({ databaseUrl: testDb.databaseUrl, sqlitePath: testDb.sqlitePath });
    // Concurrent starts only on PostgreSQL: better-sqlite3 connections in one thread would block each
    // other synchronously on the file lock (separate processes wait on busy_timeout instead).
    const opened = dialect === "postgres" ? await Promise.all([open(), open(), open()]) : [await open(), await open()];
    const names = await handle.db.selectFrom("oms_migrations").select("name").orderBy("name").execute();
    expect(names.map((row) => row.name)).toEqual(migrations.map((m) => m.name).sort());
    expect(names.map((row) => row.name)).toContain("001_intents");
    for (const db of opened) await db.close();
  });

  it("creates one live intent for 20 identical concurrent inserts and a new one once it is terminal", async () => {
    const payload = receivedPayload({ config_hash: `0x${"33".repeat(32)}` });
    const results = await Promise.all(Array.from({ length: 20 }, () => insertIntent(handle.db, payload, new Date())));
    const created = results.filter((result) => result !== null);
    expect(created).toHaveLength(1);
    const live = await findLiveIntent(handle.db, payload);
    expect(live?.id).toBe(created[0]?.record.id);
    if (live === null) throw new Error("unreachable");
    await commitTransition(handle.db, live, [abort], new Date());
    expect(await findLiveIntent(handle.db, payload)).toBeNull();
    expect(await insertIntent(handle.db, payload, new Date())).not.toBeNull();
  });

  it("appends gapless events guarded by the sequence number it read", async () => {
    const created = await insertIntent(handle.db, receivedPayload({ config_hash: `0x${"44".repeat(32)}` }), new Date());
    if (created === null) throw new Error("not created");
    const ack = { message_type: "INTENT_ACKED" as const, payload: { root: "0x", hooks: [] } };
    const racing = await Promise.allSettled([
      commitTransition(handle.db, created.record, [ack], new Date()),
      commitTransition(handle.db, created.record, [abort], new Date()),
    ]);
    expect(racing.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = racing.find((r) => r.status === "rejected");
    expect(rejected?.status === "rejected" && rejected.reason).toBeInstanceOf(StaleIntentError);
    const events = await listEvents(handle.db, created.record.id, 0, 100);
    expect(events.map((e) => e.seq_num)).toEqual([1, 2]);
    const stored = await getIntent(handle.db, created.record.id);
    expect(stored?.seq_num).toBe(2);
  });

  it("never lets terminal intents change", async () => {
    const created = await insertIntent(handle.db, receivedPayload({ config_hash: `0x${"55".repeat(32)}` }), new Date());
    if (created === null) throw new Error("not created");
    const done = await commitTransition(handle.db, created.record, [abort], new Date());
    await expect(
      commitTransition(
        handle.db,
        done.record,
        [{ message_type: "INTENT_ACKED", payload: { root: "0x", hooks: [] } }],
        new Date(),
      ),
    ).rejects.toThrow(/terminal/);
    expect((await getIntent(handle.db, created.record.id))?.state).toBe("ABORTED");
  });

  it("leases an intent to one worker at a time", async () => {
    const created = await insertIntent(handle.db, receivedPayload({ config_hash: `0x${"66".repeat(32)}` }), new Date());
    if (created === null) throw new Error("not created");
    const now = new Date(Date.now() + 1000);
    const claims = await Promise.all(
      ["a", "b", "c"].map((owner) => claimDueIntents(handle.db, owner, now, 10_000, 50)),
    );
    const holders = claims.filter((claimed) => claimed.some((intent) => intent.id === created.record.id));
    expect(holders).toHaveLength(1);
    const later = new Date(now.getTime() + 20_000);
    const afterExpiry = await claimDueIntents(handle.db, "d", later, 10_000, 50);
    expect(afterExpiry.map((i) => i.id)).toContain(created.record.id);
    await releaseIntent(handle.db, created.record.id, "d", later);
  });

  it("claims each lane up to its own limit in one claim: a transaction's intent never waits behind new ones", async () => {
    const created = [];
    for (let i = 0; i < 3; i++) {
      const payload = receivedPayload({ config_hash: `0x${String(i).padStart(64, "5")}` });
      const inserted = await insertIntent(handle.db, payload, new Date(Date.UTC(2026, 0, 1, 0, 0, i)));
      if (inserted === null) throw new Error("not created");
      created.push(inserted.record.id);
    }
    // The newest is the one with a transaction out.
    const executing = created[2] ?? "";
    await handle.db.updateTable("intents").set({ state: "EXECUTING" }).where("id", "=", executing).execute();
    const now = new Date(Date.now() + 60_000);
    const claimed = await claimDueIntents(handle.db, "w1", now, 10_000, { tracking: 4, progress: 1 });
    expect(claimed.filter((intent) => intent.state === "EXECUTING").map((intent) => intent.id)).toEqual([executing]);
    expect(claimed.filter((intent) => intent.state !== "EXECUTING")).toHaveLength(1);
    // Leased: another worker's tracking slots find nothing, and a lane with no free slot claims nothing.
    expect(await claimDueIntents(handle.db, "w2", now, 10_000, { tracking: 4, progress: 0 })).toEqual([]);
    for (const intent of claimed) await releaseIntent(handle.db, intent.id, "w1", now);
    for (const id of created) {
      await handle.db.updateTable("intents").set({ active: 0 }).where("id", "=", id).execute();
    }
  });

  it("claims EXECUTING intents named early (a new head came) before they are due, and nothing else early", async () => {
    const created: string[] = [];
    for (let i = 0; i < 3; i++) {
      const payload = receivedPayload({ config_hash: `0x${String(i).padStart(64, "6")}` });
      const inserted = await insertIntent(handle.db, payload, new Date(Date.UTC(2026, 0, 1, 0, 0, i)));
      if (inserted === null) throw new Error("not created");
      created.push(inserted.record.id);
    }
    const [waiting = "", other = "", received = ""] = created;
    const now = new Date(Date.now() + 60_000);
    const later = new Date(now.getTime() + 1_000).toISOString();
    // Two transactions out, both released until their recheck a second from now; one new intent, also not due.
    await handle.db
      .updateTable("intents")
      .set({ state: "EXECUTING", next_attempt_at: later })
      .where("id", "in", [waiting, other])
      .execute();
    await handle.db
      .updateTable("intents")
      .set({ next_attempt_at: later })
      .where("id", "=", received ?? "")
      .execute();
    // Earlier tests' intents may be due: only these three are looked at.
    const ours = (claimed: readonly { id: string }[]) =>
      claimed.map(({ id }) => id).filter((id) => created.includes(id));
    const limits = { tracking: 50, progress: 50 };
    expect(ours(await claimDueIntents(handle.db, "w1", now, 10_000, limits))).toEqual([]);

    const claimed = await claimDueIntents(handle.db, "w2", now, 10_000, limits, [waiting, received]);
    expect(ours(claimed)).toEqual([waiting]);
    for (const intent of claimed) await releaseIntent(handle.db, intent.id, "w2", now);
    await handle.db.updateTable("intents").set({ active: 0 }).where("id", "in", created).execute();
  });

  it("paginates newest first with a stable cursor and counts facets", async () => {
    const vault = "31337:0x00000000000000000000000000000000000000cc";
    for (let i = 0; i < 5; i++) {
      const payload = receivedPayload({ vault_id: vault, config_hash: `0x${String(i).padStart(64, "7")}` });
      await insertIntent(handle.db, payload, new Date(Date.UTC(2026, 0, 1, 0, 0, i)));
    }
    const first = await listIntents(handle.db, { vault_id: vault, limit: 2 }, [vault]);
    expect(first.data.map((i) => i.created_at)).toEqual(["2026-01-01T00:00:04.000Z", "2026-01-01T00:00:03.000Z"]);
    expect(first.facets.state).toEqual({ RECEIVED: 5 });
    await insertIntent(
      handle.db,
      receivedPayload({ vault_id: vault, config_hash: `0x${"88".repeat(32)}` }),
      new Date(),
    );
    const second = await listIntents(handle.db, { vault_id: vault, limit: 2, cursor: first.next_cursor ?? "" }, [
      vault,
    ]);
    expect(second.data.map((i) => i.created_at)).toEqual(["2026-01-01T00:00:02.000Z", "2026-01-01T00:00:01.000Z"]);
    // Facets are counted for the first page only: cursor pages do not rescan every row.
    expect(second.facets).toEqual({ state: {}, action: {}, vault_id: {}, strategy_id: {} });
    const third = await listIntents(handle.db, { vault_id: vault, limit: 2, cursor: second.next_cursor ?? "" }, [
      vault,
    ]);
    expect(third.data.map((i) => i.created_at)).toEqual(["2026-01-01T00:00:00.000Z"]);
    expect(third.next_cursor).toBeNull();
    const hidden = await listIntents(handle.db, { limit: 10 }, []);
    expect(hidden.data).toHaveLength(0);
  });
});
