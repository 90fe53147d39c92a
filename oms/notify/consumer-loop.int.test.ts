import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { silentLog } from "../kernel/logger";
import { listConsumers } from "../store/consumers";
import type { Db } from "../store/db";
import { withTestDatabase } from "../store/test-support/databases";
import { type ConsumerLoop, type CursorWriter, type StepResult, startConsumerLoop } from "./consumer-loop";

/** A log the fake step reads from: positions 1…n, read `limit` at a time. */
function fakeLog(limit: number) {
  let head = 0;
  const reads: number[] = [];
  let onRead: (() => void) | null = null;
  return {
    append(count: number) {
      head += count;
    },
    reads,
    /** Runs once, inside the next read (a commit landing while a pass is under way). */
    duringNextRead(action: () => void) {
      onRead = action;
    },
    async step(position: number): Promise<StepResult> {
      reads.push(position);
      const last = Math.min(head, position + limit);
      const action = onRead;
      onRead = null;
      action?.();
      return { position: last, hasMore: last - position >= limit };
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe("an outbox consumer loop", () => {
  let handle: Db;
  let loop: ConsumerLoop | null = null;
  withTestDatabase("sqlite", (opened) => {
    handle = opened;
  });
  afterEach(async () => {
    await loop?.stop();
    loop = null;
  });

  function start(
    name: string,
    step: (position: number, cursor: CursorWriter) => Promise<StepResult>,
    passSpacingMs = 0,
    cursorStoreMs = 0,
  ): ConsumerLoop {
    // A tick far away: only wakes drive the loop here.
    loop = startConsumerLoop({
      db: handle.db,
      name,
      owner: "test",
      leaseMs: 60_000,
      tickMs: 600_000,
      passSpacingMs,
      cursorStoreMs,
      initialPosition: 0,
      step,
      log: silentLog,
    });
    return loop;
  }

  it("reads full pages until a short one, then waits for a wake; each wake is one read when caught up", async () => {
    const log = fakeLog(10);
    log.append(25);
    const running = start("pages", (position) => log.step(position));
    await settle();
    // 0–10, 10–20 full; 20–25 short: caught up without reading again.
    expect(log.reads).toEqual([0, 10, 20]);
    log.append(3);
    running.wake();
    await settle();
    expect(log.reads).toEqual([0, 10, 20, 25]);
    expect(running.status().position).toBe(28);
    const stored = (await listConsumers(handle.db)).find((consumer) => consumer.name === "pages");
    expect(stored?.position).toBe(28);
  });

  it("starts a new cursor at its initial position, read once: renewing the lease does not read it again", async () => {
    const log = fakeLog(10);
    log.append(7);
    let headReads = 0;
    // A lease renewed every 50 ms (a third of it), and a pass every wake.
    loop = startConsumerLoop({
      db: handle.db,
      name: "from-head",
      owner: "test",
      leaseMs: 150,
      tickMs: 600_000,
      passSpacingMs: 0,
      cursorStoreMs: 0,
      initialPosition: async () => {
        headReads += 1;
        return 5;
      },
      step: (position) => log.step(position),
      log: silentLog,
    });
    await settle();
    for (let i = 0; i < 4; i++) {
      log.append(1);
      loop.wake();
      await settle();
    }
    expect(log.reads[0]).toBe(5);
    expect(loop.status().position).toBe(11);
    expect(log.reads.length).toBeGreaterThanOrEqual(5);
    expect(headReads).toBe(1);
  });

  it("a commit cued while a pass reads is handled by another pass at once, not at the tick", async () => {
    const log = fakeLog(10);
    log.append(2);
    const running = start("cued", (position) => log.step(position));
    log.duringNextRead(() => {
      log.append(4);
      running.wake();
    });
    await settle();
    expect(running.status().position).toBe(6);
    expect(log.reads).toEqual([0, 2]);
  });

  it("handles the first cue after a quiet spell at once, and the cues of the next spacing in one later pass", async () => {
    const log = fakeLog(10);
    const running = start("spaced", (position) => log.step(position), 1_000);
    await settle();
    expect(log.reads).toEqual([0]);
    log.append(1);
    running.wake();
    await settle();
    // Quiet before: at once.
    expect(running.status().position).toBe(1);
    for (let i = 0; i < 5; i++) {
      log.append(1);
      running.wake();
    }
    await settle();
    // Within the spacing of the pass that handled something: not yet, and the five cues wait as one.
    expect(running.status().position).toBe(1);
    await expect.poll(() => running.status().position, { timeout: 3_000 }).toBe(6);
    expect(log.reads).toEqual([0, 0, 1]);
  });

  it("writes its cursor at most every cursorStoreMs for pages without effects, at once after effects, and at stop", async () => {
    const stored = async (name: string) =>
      (await listConsumers(handle.db)).find((consumer) => consumer.name === name)?.position;
    const log = fakeLog(10);
    let effects = false;
    const running = start(
      "lazy",
      async (position) => ({ ...(await log.step(position)), hasEffects: effects }),
      0,
      60_000,
    );
    await settle();
    log.append(3);
    running.wake();
    await settle();
    // Handled, not yet written: a crash now would hand the next holder these three again.
    expect(running.status().position).toBe(3);
    expect(await stored("lazy")).toBe(0);
    effects = true;
    log.append(2);
    running.wake();
    await settle();
    expect(await stored("lazy")).toBe(5);
    effects = false;
    log.append(4);
    running.wake();
    await settle();
    expect(await stored("lazy")).toBe(5);
    await running.stop();
    loop = null;
    // Stopping writes what was handled before it gives the lease up.
    expect(await stored("lazy")).toBe(9);
    expect((await listConsumers(handle.db)).find((consumer) => consumer.name === "lazy")?.lease_owner).toBeNull();
  });

  it("a step's effects and its cursor commit in one transaction; a lost lease rolls both back", async () => {
    await sql`create table effects (position integer not null)`.execute(handle.db);
    const effects = async () =>
      (await sql<{ position: number }>`select position from effects order by position`.execute(handle.db)).rows.map(
        (row) => row.position,
      );
    const stored = async () => (await listConsumers(handle.db)).find((consumer) => consumer.name === "together");
    const log = fakeLog(10);
    // Pages without effects would wait a minute for their cursor write: only the step's own write can store it.
    const running = start(
      "together",
      async (position, cursor) => {
        const result = await log.step(position);
        await handle.db.transaction().execute(async (trx) => {
          for (let at = position + 1; at <= result.position; at++)
            await sql`insert into effects (position) values (${at})`.execute(trx);
          await cursor.writeIn(trx, result.position);
        });
        return result;
      },
      0,
      60_000,
    );
    await settle();
    log.append(3);
    running.wake();
    await settle();
    expect(await effects()).toEqual([1, 2, 3]);
    expect((await stored())?.position).toBe(3);
    // Another process takes the lease over (this one's ran out while it was paused, say).
    const until = new Date(Date.now() + 60_000).toISOString();
    await handle.db
      .updateTable("consumer_cursors")
      .set({ lease_owner: "other", lease_expires_at: until })
      .where("name", "=", "together")
      .execute();
    log.append(2);
    running.wake();
    await settle();
    // Position 4 and 5 belong to the new holder: nothing of them was written here, effects or cursor.
    expect(await effects()).toEqual([1, 2, 3]);
    expect(await stored()).toMatchObject({ position: 3, lease_owner: "other" });
    expect(running.status().holding).toBe(false);
  });
});
