import { describe, expect, it } from "vitest";
import { memoryEngines } from "./test-support/memory-engine";

const GWEI = 1_000_000_000n;
/** The fake chain's plans carry a 130k gas limit: this cap allows up to 5 gwei per gas. */
const GAS_LIMIT = 130_000n;
const CAP = GAS_LIMIT * 5n * GWEI;

/**
 * Issue 12: nothing bounded what one transaction may cost, so a fee spike was paid in full by any key
 * rich enough. With OMS_MAX_FEE_PER_TX_WEI no transaction (new or replacement) is signed above the cap;
 * a new intent waits with FEE_CAP_EXCEEDED and continues when fees fall.
 */
describe("the per-transaction fee cap", () => {
  const openEngine = memoryEngines();

  it("signs nothing above the cap during a spike, holds new intents with FEE_CAP_EXCEEDED, and completes after", async () => {
    const engine = await openEngine({
      receiptPollMs: 0,
      waitRetryMs: 0,
      replaceAfterMs: 10_000,
      replaceAfterBlocks: 1_000,
      maxFeePerTxWei: CAP,
    });
    const { core, chain, submit, rounds } = engine;

    const first = await submit(1);
    await rounds(6, 1_000);
    expect((await core.get(first))?.state).toBe("EXECUTING");

    // The market jumps to 200 gwei: a replacement of the first would have to exceed the cap.
    chain.market = { maxFeePerGas: 200n * GWEI, maxPriorityFeePerGas: GWEI };
    const second = await submit(2);
    await rounds(10, 20_000);
    expect((await core.get(second))?.state).toBe("PLANNED");
    expect(await core.attempts(second)).toEqual([]);
    const waiting = (await core.events(second, 0, 100)).filter((event) => event.message_type === "WAITING");
    expect(waiting).toHaveLength(1);
    expect(waiting[0]?.payload).toMatchObject({ reason: "FEE_CAP_EXCEEDED", cap_wei: CAP.toString() });
    for (const attempt of await core.attempts(first)) {
      expect(BigInt(attempt.max_fee_per_gas) * GAS_LIMIT).toBeLessThanOrEqual(CAP);
    }

    // Fees fall back under the cap: both complete.
    chain.market = { maxFeePerGas: 3n * GWEI, maxPriorityFeePerGas: GWEI };
    for (let i = 0; i < 10; i++) {
      await rounds(1, 20_000);
      chain.mine();
    }
    expect((await core.get(first))?.state).toBe("COMPLETED");
    expect((await core.get(second))?.state).toBe("COMPLETED");
    for (const attempt of [...(await core.attempts(first)), ...(await core.attempts(second))]) {
      expect(BigInt(attempt.max_fee_per_gas) * GAS_LIMIT).toBeLessThanOrEqual(CAP);
    }
  });

  it("expires an intent that waited for fees past its deadline with FEE_CAP_EXCEEDED", async () => {
    const engine = await openEngine({ receiptPollMs: 0, waitRetryMs: 0, maxFeePerTxWei: CAP });
    const { core, chain, submit, rounds } = engine;
    chain.market = { maxFeePerGas: 200n * GWEI, maxPriorityFeePerGas: GWEI };
    const id = await submit(1);
    await rounds(40, 30_000);
    expect(await core.get(id)).toMatchObject({ state: "EXPIRED", error: { code: "FEE_CAP_EXCEEDED" } });
  });
});
