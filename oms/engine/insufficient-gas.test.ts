import { describe, expect, it } from "vitest";
import { memoryEngines } from "./test-support/memory-engine";

/**
 * Reliability finding: a key that ran out of gas money had every send refused, the engine bumped the
 * refused nonce again and again, and every later intent queued behind it. Now the refusal is named
 * in the event, and while readiness says INSUFFICIENT_GAS nothing is re-signed or newly signed.
 */
describe("a session key that runs out of gas money", () => {
  const openEngine = memoryEngines();

  it("records the refusal, stops re-signing while unfunded, holds new intents, and resumes once funded", async () => {
    const engine = await openEngine({
      receiptPollMs: 0,
      waitRetryMs: 0,
      replaceAfterMs: 10_000,
      replaceAfterBlocks: 1_000,
    });
    const { core, chain, keys, clock, submit, rounds } = engine;
    const types = async (id: string) => (await core.events(id, 0, 100)).map((event) => event.message_type);

    const first = await submit(1);
    await rounds(6, 1_000);
    expect((await core.get(first))?.state).toBe("EXECUTING");
    expect(chain.pool.size).toBe(1);

    // The key runs dry: the replacement of the unmined transaction is refused, and says why.
    chain.isUnfunded = true;
    clock.t += 20_000;
    await rounds(1, 0);
    const dropped = (await core.events(first, 0, 100)).filter((event) => event.message_type === "TX_DROPPED");
    expect(dropped.at(-1)?.payload).toMatchObject({ code: "INSUFFICIENT_FUNDS" });
    const attemptsWhenRefused = (await core.attempts(first)).length;
    expect(attemptsWhenRefused).toBe(2);

    // Readiness now reports it: no further fee bumps for the first, no signature at all for a new one.
    keys.isReady = false;
    keys.notReadyReason = "INSUFFICIENT_GAS";
    const second = await submit(2);
    await rounds(20, 20_000);
    expect((await core.attempts(first)).length).toBe(attemptsWhenRefused);
    expect(await core.attempts(second)).toEqual([]);
    expect((await types(second)).filter((type) => type === "WAITING")).toHaveLength(1);
    const waiting = (await core.events(second, 0, 100)).find((event) => event.message_type === "WAITING");
    expect(waiting?.payload).toMatchObject({ reason: "SESSION_KEY_NOT_READY", readiness_reason: "INSUFFICIENT_GAS" });

    // Funded again (a rotation or a plain transfer): both intents complete.
    chain.isUnfunded = false;
    keys.isReady = true;
    for (let i = 0; i < 20; i++) {
      await rounds(1, 20_000);
      chain.mine();
    }
    expect((await core.get(first))?.state).toBe("COMPLETED");
    expect((await core.get(second))?.state).toBe("COMPLETED");
  });
});
