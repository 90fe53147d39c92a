import { describe, expect, it, vi } from "vitest";
import { releaseIntent } from "../store/leases-repo";
import { memoryEngines, until } from "./test-support/memory-engine";

// The one module replaced: its release fails once, as a database that went away for a moment would.
vi.mock("../store/leases-repo", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../store/leases-repo")>();
  return { ...actual, releaseIntent: vi.fn(actual.releaseIntent) };
});

/**
 * A drive whose release fails costs that intent its lease's length, never the worker: the error is logged with the
 * intent it concerns, the other drives go on, and the intent is driven again once its lease has run out.
 */
describe("workers: a release that fails", () => {
  const openEngine = memoryEngines();

  it("logs it against its intent, keeps driving the others, and drives that one again after its lease", {
    timeout: 15_000,
  }, async () => {
    const logged: { message: string; context?: Record<string, unknown> }[] = [];
    const log = {
      warn: () => undefined,
      error: (message: string, context?: Record<string, unknown>) => logged.push({ message, context }),
    };
    const engine = await openEngine({ receiptPollMs: 0, waitRetryMs: 0 }, 1_000, log);
    const { core, chain, clock, submit } = engine;
    const state = async (id: string) => (await core.get(id))?.state;
    vi.mocked(releaseIntent).mockRejectedValueOnce(new Error("connection lost"));

    const unlucky = await submit(1);
    const workers = core.startWorkers({ count: 1, pollIntervalMs: 5, batchSize: 4, leaseMs: 2_000 });
    try {
      await until(clock, async () => logged.length > 0);
      expect(logged).toEqual([
        { message: "worker drive error", context: { intent_id: unlucky, error: "connection lost" } },
      ]);
      const leaseEndsAt = clock.t + 2_000;
      const other = await submit(2);
      workers.wake();
      await until(clock, async () => (await state(other)) === "EXECUTING");
      chain.mine();
      await until(clock, async () => (await state(other)) === "COMPLETED");

      // Its lease still holds it: the block that completed the other does not complete it yet.
      expect(await state(unlucky)).not.toBe("COMPLETED");
      chain.mine();
      await until(clock, async () => (await state(unlucky)) === "COMPLETED");
      expect(clock.t).toBeGreaterThanOrEqual(leaseEndsAt);
      expect(logged).toHaveLength(1);
    } finally {
      await workers.stop();
    }
  });
});
