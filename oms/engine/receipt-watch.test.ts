import { describe, expect, it } from "vitest";
import { getIntent } from "../store/intents-repo";
import { ReceiptWatch } from "./receipt-watch";
import { type MemoryEngine, memoryEngines, until } from "./test-support/memory-engine";

/** Counts what the engine asks the node while intents wait for their block. */
function countCalls(engine: MemoryEngine) {
  const counts = { receipt: 0, sendRaw: 0 };
  const { chain } = engine;
  const receipt = chain.receipt.bind(chain);
  const sendRaw = chain.sendRaw.bind(chain);
  chain.receipt = (...args) => {
    counts.receipt++;
    return receipt(...args);
  };
  chain.sendRaw = (...args) => {
    counts.sendRaw++;
    return sendRaw(...args);
  };
  return counts;
}

describe("EXECUTING intents waiting for a block (issue 22)", () => {
  const openEngine = memoryEngines();

  it("ask the node for receipts and resend nothing until a block arrives, then complete", async () => {
    const engine = await openEngine({ receiptPollMs: 0, replaceAfterMs: 3_600_000, replaceAfterBlocks: 1_000 });
    const ids = [await engine.submit(1), await engine.submit(2), await engine.submit(3)];
    await engine.rounds(4, 10);
    for (const id of ids) expect((await getIntent(engine.db.db, id))?.state).toBe("EXECUTING");

    const counts = countCalls(engine);
    // Many polls within one block (well under a second): nothing the node could answer has changed.
    await engine.rounds(10, 20);
    expect(counts).toEqual({ receipt: 0, sendRaw: 0 });

    engine.chain.mine();
    await engine.rounds(2, 20);
    for (const id of ids) expect((await getIntent(engine.db.db, id))?.state).toBe("COMPLETED");
    expect(counts.sendRaw).toBe(0);
  });

  it("still check fully at least once a second without a new block (an automining chain makes none)", async () => {
    const engine = await openEngine({ receiptPollMs: 0, replaceAfterMs: 3_600_000, replaceAfterBlocks: 1_000 });
    const id = await engine.submit(1);
    await engine.rounds(4, 10);
    expect((await getIntent(engine.db.db, id))?.state).toBe("EXECUTING");
    const counts = countCalls(engine);
    await engine.rounds(3, 600);
    expect(counts.receipt).toBeGreaterThan(0);
  });
});

describe("EXECUTING intents with the head followed by running workers (issue 22)", () => {
  const openEngine = memoryEngines();

  /** Counts the drives of waiting intents (each one asks the watch whether anything changed). */
  function countDrives(engine: MemoryEngine): () => number {
    const watch = engine.core.engine.receipts;
    if (watch === undefined) throw new Error("the engine has no receipt watch");
    let drives = 0;
    const isUnchanged = watch.isUnchanged.bind(watch);
    watch.isUnchanged = (...args) => {
      drives++;
      return isUnchanged(...args);
    };
    return () => drives;
  }

  async function executing(headPollMs: number | null) {
    const engine = await openEngine({ receiptPollMs: 0, replaceAfterMs: 3_600_000, replaceAfterBlocks: 1_000 });
    const ids = [await engine.submit(1), await engine.submit(2), await engine.submit(3)];
    const workers = engine.core.startWorkers({ count: 1, pollIntervalMs: 5, headPollMs });
    await until(engine.clock, async () => {
      for (const id of ids) if ((await getIntent(engine.db.db, id))?.state !== "EXECUTING") return false;
      return true;
    });
    return { engine, ids, workers };
  }

  it("sleep until a new head instead of polling, then are claimed at once, before their recheck", async () => {
    const { engine, ids, workers } = await executing(5);
    try {
      const drives = countDrives(engine);
      // Real time passes, the engine's clock does not: polling (receiptPollMs 0) would drive them again and again.
      await sleep(150);
      expect(drives()).toBe(0);

      engine.chain.mine();
      // Past the shared head's cache, well before the 1 s recheck: only the new head can bring them in.
      engine.clock.t += 60;
      const deadline = Date.now() + 3_000;
      while (Date.now() < deadline && !(await allCompleted(engine, ids))) await sleep(5);
      expect(await allCompleted(engine, ids)).toBe(true);
    } finally {
      await workers.stop();
    }
  });

  it("without following (headPollMs null), poll every receiptPollMs as before", async () => {
    const { engine, workers } = await executing(null);
    try {
      const drives = countDrives(engine);
      await sleep(150);
      expect(drives()).toBeGreaterThan(3);
    } finally {
      await workers.stop();
    }
  });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function allCompleted(engine: MemoryEngine, ids: readonly string[]): Promise<boolean> {
  for (const id of ids) if ((await getIntent(engine.db.db, id))?.state !== "COMPLETED") return false;
  return true;
}

describe("ReceiptWatch.follow", () => {
  it("reads the head while an intent waits, tells each newer head, and tells an outage once", async () => {
    let head = 7;
    let isDown = false;
    const chain = {
      blockNumber: async () => {
        if (isDown) throw new Error("node unreachable");
        return head;
      },
    };
    const clock = { t: Date.UTC(2026, 0, 1), now: () => new Date(clock.t) };
    const watch = new ReceiptWatch(chain, clock);
    const heads: number[] = [];
    const errors: unknown[] = [];
    const stop = watch.follow(
      2,
      (value) => heads.push(value),
      (error) => errors.push(error),
    );
    try {
      await sleep(30);
      // Nobody waits: no reads, nothing told.
      expect(heads).toEqual([]);
      watch.waiting("a", 7, 1);
      await sleep(30);
      expect(heads).toEqual([7]);
      expect(watch.behind()).toEqual([]);

      isDown = true;
      clock.t += 60; // past the shared head's cache
      await sleep(30);
      expect(errors).toHaveLength(1);

      isDown = false;
      head = 8;
      await sleep(30);
      expect(heads).toEqual([7, 8]);
      expect(watch.behind()).toEqual(["a"]);
      expect(watch.isBehind("a")).toBe(true);
    } finally {
      stop();
    }
  });
});
