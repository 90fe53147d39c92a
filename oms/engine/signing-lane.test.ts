import { describe, expect, it, vi } from "vitest";
import { commitStepsTogether } from "../store/steps-together";
import { drivenEngines, holdChainCalls, type MemoryEngine, until } from "./test-support/memory-engine";

// The one function watched: a lane's turn writes its intents through it, in one transaction.
vi.mock("../store/steps-together", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../store/steps-together")>();
  return { ...actual, commitStepsTogether: vi.fn(actual.commitStepsTogether) };
});

const signedNonce = async (core: MemoryEngine["core"], id: string) => {
  const signed = (await core.events(id, 0, 50)).find((event) => event.message_type === "TX_SIGNED");
  return signed === undefined ? undefined : (signed.payload as { nonce: number }).nonce;
};

/**
 * Intents that wait for their signer's lane (another intent's signing holds it) are signed and committed in the
 * lane's next turn together: one transaction, consecutive nonces, then each one's send. A turn whose transaction
 * fails (here: one of its intents canceled meanwhile) writes its intents one by one, so only that one fails.
 */
describe("signing lanes", () => {
  const drivenEngine = drivenEngines();

  it("commits the intents waiting for one signer in one transaction, in nonce order, and each completes", {
    timeout: 15_000,
  }, async () => {
    vi.mocked(commitStepsTogether).mockClear();
    const { core, chain, clock, submit, state, first, workers, holds, stop } = await drivenEngine({
      holds: (chain) => ({ sends: holdChainCalls(chain, "sendRaw", (call) => call === 1) }),
    });
    try {
      await until(clock, async () => holds.sends.calls() === 1);
      const waiting = [await submit(2), await submit(3), await submit(4)];
      workers.wake();
      await until(clock, async () => (await Promise.all(waiting.map(state))).every((s) => s === "PLANNED"));

      holds.sends.release();
      await until(clock, async () => (await Promise.all(waiting.map(state))).every((s) => s === "EXECUTING"));
      expect(vi.mocked(commitStepsTogether)).toHaveBeenCalledTimes(1);
      expect(vi.mocked(commitStepsTogether).mock.calls[0]?.[1]).toHaveLength(3);
      const firstNonce = (await signedNonce(core, first)) ?? -1;
      const nonces = await Promise.all(waiting.map((id) => signedNonce(core, id)));
      expect([...nonces].sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual([firstNonce + 1, firstNonce + 2, firstNonce + 3]);

      chain.mine();
      await until(clock, async () =>
        (await Promise.all([first, ...waiting].map(state))).every((s) => s === "COMPLETED"),
      );
    } finally {
      await stop();
    }
  });

  it("an intent canceled while it waits fails alone: the others of its turn execute with gapless nonces", {
    timeout: 15_000,
  }, async () => {
    const { core, chain, clock, submit, state, first, workers, holds, stop } = await drivenEngine({
      holds: (chain) => ({ sends: holdChainCalls(chain, "sendRaw", (call) => call === 1) }),
    });
    try {
      await until(clock, async () => holds.sends.calls() === 1);
      const [before, canceled, after] = [await submit(2), await submit(3), await submit(4)];
      workers.wake();
      await until(clock, async () =>
        (await Promise.all([before, canceled, after].map(state))).every((s) => s === "PLANNED"),
      );
      await core.cancel(canceled, { subject: "test", kind: "service" });

      holds.sends.release();
      await until(clock, async () => (await state(before)) === "EXECUTING" && (await state(after)) === "EXECUTING");
      expect(await state(canceled)).toBe("CANCELED");
      expect(await signedNonce(core, canceled)).toBeUndefined();
      const firstNonce = (await signedNonce(core, first)) ?? -1;
      expect(
        [await signedNonce(core, before), await signedNonce(core, after)].sort((a, b) => (a ?? 0) - (b ?? 0)),
      ).toEqual([firstNonce + 1, firstNonce + 2]);

      chain.mine();
      await until(clock, async () => (await state(before)) === "COMPLETED" && (await state(after)) === "COMPLETED");
    } finally {
      await stop();
    }
  });
});
