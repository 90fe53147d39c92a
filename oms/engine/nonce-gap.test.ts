import { describe, expect, it } from "vitest";
import { getIntent } from "../store/intents-repo";
import { claimDueIntents } from "../store/leases-repo";
import { memoryEngines } from "./test-support/memory-engine";

const LEASE_MS = 600_000;

/**
 * Crash-test finding: the OMS was killed between committing intent A's signed transaction (nonce n)
 * and sending it. After the restart A stays leased to the dead process, while B gets nonce n+1,
 * which the node holds as queued behind the missing n. B must not wait for A's lease to run out.
 */
describe("a nonce gap left by a killed process", () => {
  const openEngine = memoryEngines();

  it("is filled by the next intent of the same signer resending the stored earlier transaction", async () => {
    const engine = await openEngine(
      { receiptPollMs: 0, replaceAfterMs: 3_600_000, replaceAfterBlocks: 1_000 },
      LEASE_MS,
    );
    const { db, chain, clock, submit } = engine;

    const a = await submit(1);
    chain.crashNextSend = true; // A's signed transaction is committed, then the "process" dies before the send
    for (let i = 0; i < 6 && (await getIntent(db.db, a))?.state !== "EXECUTING"; i++) {
      await engine.rounds(1, 2_000, "first-life");
    }
    expect((await getIntent(db.db, a))?.state).toBe("EXECUTING");
    expect(chain.pool.size).toBe(0);
    // The dead process still holds A's lease (it expires long after this test ends).
    clock.t += 2_000;
    expect((await claimDueIntents(db.db, "dead-process", clock.now(), LEASE_MS, 10)).map((i) => i.id)).toEqual([a]);

    const b = await submit(2);
    for (let round = 0; round < 12; round++) {
      await engine.rounds(1, 0, "second-life");
      chain.mine();
      clock.t += 1_000;
    }
    expect((await getIntent(db.db, b))?.state).toBe("COMPLETED");
    expect(chain.mined.size).toBe(2);
  });
});
