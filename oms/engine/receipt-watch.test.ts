import { describe, expect, it } from "vitest";
import { getIntent } from "../store/intents-repo";
import { type MemoryEngine, memoryEngines } from "./test-support/memory-engine";

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
