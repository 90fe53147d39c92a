import { describe, expect, it } from "vitest";
import { drivenEngines, holdChainCalls, until } from "./test-support/memory-engine";

/**
 * Running workers keep a batch of drives in flight and claim again as each one finishes: an intent due while
 * another drive is slow (here: its plan's simulation does not answer) is driven at once, not after it.
 */
describe("workers", () => {
  const drivenEngine = drivenEngines();

  it("a slow drive holds one slot: an intent submitted meanwhile executes and completes without waiting for it", {
    timeout: 15_000,
  }, async () => {
    const {
      chain,
      clock,
      submit,
      state,
      first: slow,
      workers,
      holds,
      stop,
    } = await drivenEngine({
      holds: (chain) => ({ plans: holdChainCalls(chain, "simulate", (call) => call === 1) }),
    });
    const { plans } = holds;
    try {
      await until(clock, async () => plans.calls() === 1);
      const fast = await submit(2);
      workers.wake();
      await until(clock, async () => (await state(fast)) === "EXECUTING");
      chain.mine();
      await until(clock, async () => (await state(fast)) === "COMPLETED");
      // Still in its plan step: what it did before is written while the plan waits (queuedStepMaxMs), no more.
      await until(clock, async () => (await state(slow)) === "STAGED");

      plans.release();
      await until(clock, async () => (await state(slow)) === "EXECUTING");
      chain.mine();
      await until(clock, async () => (await state(slow)) === "COMPLETED");
    } finally {
      await stop();
    }
  });

  it("a mined transaction's intent completes while every slot for new work is held by a drive that waits", {
    timeout: 15_000,
  }, async () => {
    let isHolding = false;
    const {
      chain,
      clock,
      submit,
      state,
      first: out,
      workers,
      holds,
      stop,
    } = await drivenEngine({
      batchSize: 1,
      holds: (chain) => ({ plans: holdChainCalls(chain, "simulate", () => isHolding) }),
    });
    const { plans } = holds;
    try {
      await until(clock, async () => (await state(out)) === "EXECUTING");
      // The one slot for new work: a new intent whose planning does not answer.
      isHolding = true;
      const waiting = await submit(2);
      workers.wake();
      await until(clock, async () => plans.held() === 1);
      chain.mine();
      await until(clock, async () => (await state(out)) === "COMPLETED");
      // Still in its plan step (what it did before may be written meanwhile: queuedStepMaxMs).
      expect(["RECEIVED", "ACKED", "STAGED"]).toContain(await state(waiting));
    } finally {
      await stop();
    }
  });

  it("an intent it released is claimed again when it falls due, not at the next poll", {
    timeout: 15_000,
  }, async () => {
    // Receipt checks every second (engine clock); the worker would poll only every minute.
    const { chain, clock, state, first, stop } = await drivenEngine({
      holds: () => ({}),
      engine: { receiptPollMs: 1_000 },
      pollIntervalMs: 60_000,
    });
    try {
      await until(clock, async () => (await state(first)) === "EXECUTING");
      chain.mine();
      await until(clock, async () => (await state(first)) === "COMPLETED");
    } finally {
      await stop();
    }
  });
});
