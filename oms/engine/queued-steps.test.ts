import { describe, expect, it } from "vitest";
import { drivenEngines, holdChainCalls, until } from "./test-support/memory-engine";

/**
 * A drive queues the steps that need not be durable (acknowledged, staged, planned) and writes them with its signed
 * transaction or when it ends. A queue held longer than `queuedStepMaxMs` (the next step waits on the node, or on the
 * signer's lane another intent holds) is written on its own meanwhile, so the intent's progress is seen while it
 * waits; a write that loses to another append fails the drive, which is taken again from what is stored.
 */
describe("queued steps written while the drive waits", () => {
  const drivenEngine = drivenEngines();

  it("an intent waiting for its signer's lane shows PLANNED, then executes once the lane is free", {
    timeout: 15_000,
  }, async () => {
    // The first intent's send does not answer yet: it holds the signer's lane.
    const { core, chain, clock, submit, state, first, workers, holds, stop } = await drivenEngine({
      holds: (chain) => ({ sends: holdChainCalls(chain, "sendRaw", (call) => call === 1) }),
    });
    const { sends } = holds;
    try {
      await until(clock, async () => sends.calls() === 1);
      const second = await submit(2);
      workers.wake();
      await until(clock, async () => (await state(second)) === "PLANNED");
      const written = (await core.events(second, 0, 50)).map((event) => event.message_type);
      expect(written).toEqual(["INTENT_RECEIVED", "INTENT_ACKED", "INTENT_STAGED", "INTENT_PLANNED"]);
      expect(sends.calls()).toBe(1);

      sends.release();
      await until(clock, async () => (await state(second)) === "EXECUTING");
      chain.mine();
      await until(clock, async () => (await state(first)) === "COMPLETED" && (await state(second)) === "COMPLETED");
    } finally {
      await stop();
    }
  });

  it("each wait gets its own write: staged while the plan waits, planned while the signer's lane is held", {
    timeout: 15_000,
  }, async () => {
    // The second intent's plan waits; the first intent's send holds the signer's lane.
    const { core, chain, clock, submit, state, first, workers, holds, stop } = await drivenEngine({
      holds: (chain) => ({
        plans: holdChainCalls(chain, "simulate", (call) => call === 2),
        sends: holdChainCalls(chain, "sendRaw", (call) => call === 1),
      }),
    });
    const { plans, sends } = holds;
    try {
      await until(clock, async () => sends.calls() === 1);
      const second = await submit(2);
      workers.wake();
      await until(clock, async () => (await state(second)) === "STAGED");
      plans.release();
      await until(clock, async () => (await state(second)) === "PLANNED");
      expect(sends.calls()).toBe(1);

      sends.release();
      await until(clock, async () => (await state(second)) === "EXECUTING");
      chain.mine();
      await until(clock, async () => (await state(first)) === "COMPLETED" && (await state(second)) === "COMPLETED");
      const types = (await core.events(second, 0, 50)).map((event) => event.message_type);
      expect(types.slice(0, 6)).toEqual([
        "INTENT_RECEIVED",
        "INTENT_ACKED",
        "INTENT_STAGED",
        "INTENT_PLANNED",
        "TX_SIGNED",
        "INTENT_EXECUTING",
      ]);
    } finally {
      await stop();
    }
  });

  it("one drive that waits twice writes twice: staged while its plan waits, planned while its fee quote waits", {
    timeout: 15_000,
  }, async () => {
    const {
      clock,
      chain,
      state,
      first: id,
      holds,
      stop,
    } = await drivenEngine({
      holds: (chain) => ({
        plans: holdChainCalls(chain, "simulate", (call) => call === 1),
        quotes: holdChainCalls(chain, "fees", (call) => call === 1),
      }),
    });
    const { plans, quotes } = holds;
    try {
      await until(clock, async () => (await state(id)) === "STAGED");
      plans.release();
      // The same drive goes on to execute and waits for its fee quote: what it queued since is written too.
      await until(clock, async () => quotes.held() === 1);
      await until(clock, async () => (await state(id)) === "PLANNED");
      quotes.release();
      await until(clock, async () => (await state(id)) === "EXECUTING");
      chain.mine();
      await until(clock, async () => (await state(id)) === "COMPLETED");
    } finally {
      await stop();
    }
  });

  it("a queue that loses to a cancel is not written, and the drive ends without an error left behind", {
    timeout: 15_000,
  }, async () => {
    const {
      core,
      first: id,
      clock,
      holds,
      stop,
    } = await drivenEngine({
      engine: { queuedStepMaxMs: 300 },
      holds: (chain) => ({ plans: holdChainCalls(chain, "simulate", () => true) }),
    });
    const { plans } = holds;
    const types = async (id: string) => (await core.events(id, 0, 50)).map((event) => event.message_type);
    try {
      // Acknowledged and staged are queued; the plan waits. A manager cancels before the queue is written.
      await until(clock, async () => plans.calls() === 1);
      await core.cancel(id, { subject: "manager", kind: "user" });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await types(id)).toEqual(["INTENT_RECEIVED", "INTENT_CANCELED"]);

      plans.release();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect((await core.get(id))?.state).toBe("CANCELED");
      expect(await types(id)).toEqual(["INTENT_RECEIVED", "INTENT_CANCELED"]);
    } finally {
      await stop();
    }
  });
});
