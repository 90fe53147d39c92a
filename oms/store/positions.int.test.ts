import { spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import type { Db } from "./db";
import { listEventHeadsAfterPosition, listEventsAfterPosition, listEventsByIds } from "./events-repo";
import { insertIntent } from "./intent-batch";
import { commitSteps, commitTransition } from "./intents-repo";
import { headPosition } from "./positions";
import { DIALECTS, type TestDatabase, withTwoHandles } from "./test-support/databases";
import { receivedPayload } from "./test-support/fixtures";

const ack = { message_type: "INTENT_ACKED" as const, payload: { root: "0x", hooks: [] } };
const waiting = { message_type: "WAITING" as const, payload: { reason: "SESSION_KEY_NOT_READY", message: "no key" } };

let hashes = 0;
const nextPayload = () => receivedPayload({ config_hash: `0x${(++hashes).toString(16).padStart(64, "0")}` });

async function allPositions(handle: Db): Promise<number[]> {
  const rows = await handle.db.selectFrom("intent_events").select("position").orderBy("position").execute();
  return rows.map((row) => Number(row.position));
}

/** One writer: creates intents and appends events to them, `rounds` times. */
async function writer(handle: Db, rounds: number): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    const created = await insertIntent(handle.db, nextPayload(), new Date());
    if (created === null) throw new Error("duplicate");
    const acked = await commitTransition(handle.db, created.record, [ack], new Date());
    // Two events in one append (the multi-step write of a drive).
    await commitSteps(handle.db, acked.record, [{ at: new Date(), events: [waiting, waiting] }]);
  }
}

describe.each(DIALECTS)("event positions on %s", (dialect) => {
  let testDb: TestDatabase;
  let first: Db;
  let second: Db;

  withTwoHandles(dialect, (handles) => {
    ({ testDb, first, second } = handles);
  });

  it("numbers the events of concurrent writers 1..N with no gap and no duplicate, and returns them", async () => {
    const before = await headPosition(first.db);
    const returned: number[] = [];
    const created = await insertIntent(first.db, nextPayload(), new Date());
    returned.push(...(created?.events.map((event) => event.position ?? -1) ?? []));
    await Promise.all([writer(first, 8), writer(second, 8), writer(first, 8), writer(second, 8)]);
    const positions = await allPositions(first);
    expect(positions).toEqual(Array.from({ length: positions.length }, (_, i) => i + 1));
    expect(positions.length).toBe(before + 1 + 4 * 8 * 4);
    expect(await headPosition(second.db)).toBe(positions.length);
    expect(returned).toEqual([before + 1]);
  });

  it("leaves no gap when an appending transaction rolls back", async () => {
    const created = await insertIntent(first.db, nextPayload(), new Date());
    if (created === null) throw new Error("duplicate");
    const head = await headPosition(first.db);
    const failing = commitSteps(first.db, created.record, [
      { at: new Date(), events: [ack] },
      {
        at: new Date(),
        events: async () => {
          throw new Error("signing failed");
        },
      },
    ]);
    await expect(failing).rejects.toThrow("signing failed");
    // The guard passed and the events were positioned, then the transaction died after taking numbers.
    const doomed = first.db.transaction().execute(async (trx) => {
      await trx.updateTable("event_position").set({ last: sql`last + 5` }).where("id", "=", 1).execute();
      throw new Error("rolled back");
    });
    await expect(doomed).rejects.toThrow("rolled back");
    expect(await headPosition(first.db)).toBe(head);
    const next = await commitTransition(second.db, created.record, [ack], new Date());
    expect(next.events.map((event) => event.position)).toEqual([head + 1]);
    const positions = await allPositions(first);
    expect(positions.at(-1)).toBe(positions.length);
  });

  it("leaves no gap when a writer process is killed (SIGKILL) holding positions in an open transaction", async () => {
    const created = await insertIntent(first.db, nextPayload(), new Date());
    if (created === null) throw new Error("duplicate");
    const head = await headPosition(first.db);
    const target = dialect === "postgres" ? (testDb.databaseUrl ?? "") : testDb.sqlitePath;
    const child = spawn(
      process.execPath,
      [path.join(import.meta.dirname, "test-support", "killed-writer.mjs"), target, created.record.id],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    const [chunk] = (await once(child.stdout, "data")) as [Buffer];
    expect(chunk.toString()).toContain("holding");
    // On PostgreSQL another process's append is already waiting for the counter when the holder dies.
    // (SQLite: this connection would block the thread on the file lock, so it writes after the kill.)
    const waiting = dialect === "postgres" ? commitTransition(second.db, created.record, [ack], new Date()) : null;
    const exited = once(child, "exit");
    child.kill("SIGKILL");
    await exited;
    const next = await (waiting ?? commitTransition(first.db, created.record, [ack], new Date()));
    expect(next.events.map((event) => event.position)).toEqual([head + 1]);
    const positions = await allPositions(first);
    expect(positions).toEqual(Array.from({ length: positions.length }, (_, i) => i + 1));
    const killed = await first.db
      .selectFrom("intent_events")
      .select("event_id")
      .where("event_id", "like", "killed-%")
      .execute();
    expect(killed).toEqual([]);
  });

  it("lets a reader polling position > last see every event in order, never N+1 before N", async () => {
    let last = await headPosition(first.db);
    const start = last;
    let isWriting = true;
    const seen: number[] = [];
    const reader = (async () => {
      while (isWriting || last < (await headPosition(first.db))) {
        const page = await listEventsAfterPosition(second.db, last, "all", 50);
        for (const event of page) {
          // Contiguous: each read continues exactly where the previous one stopped.
          expect(event.position).toBe(last + 1);
          last = event.position ?? last;
          seen.push(last);
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    await Promise.all([writer(first, 6), writer(second, 6)]).finally(() => {
      isWriting = false;
    });
    await reader;
    expect(seen.length).toBe(2 * 6 * 4);
    expect(seen[0]).toBe(start + 1);
  });

  it("filters by vault and carries the vault id", async () => {
    const other = await insertIntent(
      first.db,
      receivedPayload({
        vault_id: "31337:0x00000000000000000000000000000000000000bb",
        config_hash: `0x${"ab".repeat(32)}`,
      }),
      new Date(),
    );
    const page = await listEventsAfterPosition(first.db, 0, ["31337:0x00000000000000000000000000000000000000bb"], 10);
    expect(page.map((event) => event.event_id)).toEqual(other?.events.map((event) => event.event_id));
    expect(page[0]?.vault_id).toBe("31337:0x00000000000000000000000000000000000000bb");
    expect(await listEventsAfterPosition(first.db, 0, [], 10)).toEqual([]);
  });

  it("reads a page's heads without payloads, then exactly the events asked for by id", async () => {
    const page = await listEventsAfterPosition(second.db, 0, "all", 20);
    const heads = await listEventHeadsAfterPosition(second.db, 0, 20);
    expect(heads).toEqual(
      page.map(({ position, event_id, intent_id, message_type, vault_id }) => ({
        position,
        event_id,
        intent_id,
        message_type,
        vault_id,
      })),
    );
    const wanted = heads.filter((_, index) => index % 3 === 0).map((head) => head.event_id);
    const byId = await listEventsByIds(second.db, wanted);
    expect(new Set(byId.map((event) => event.event_id))).toEqual(new Set(wanted));
    expect(byId.sort((a, b) => (a.position ?? 0) - (b.position ?? 0))).toEqual(
      page.filter((event) => wanted.includes(event.event_id)),
    );
    expect(await listEventsByIds(second.db, [])).toEqual([]);
  });
});
