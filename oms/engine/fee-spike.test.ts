import { describe, expect, it } from "vitest";
import { memoryEngines } from "./test-support/memory-engine";

const GWEI = 1_000_000_000n;

/**
 * Reliability finding (`npm run reliability -- chain`): during a gas spike the engine re-signed an
 * evicted transaction at the spiked market fee, which the key could not pay; the node refused it, and
 * after the spike only that unaffordable attempt was ever resent, so the nonce and every later one
 * stayed stuck. Now nothing is signed that the key cannot pay, the signed attempts are kept alive, and
 * a nonce the node no longer holds is re-signed at the market fee once it is affordable again.
 */
describe("a gas price spike", () => {
  const openEngine = memoryEngines();

  it("signs nothing the key cannot pay, holds new intents with INSUFFICIENT_GAS, and completes all after it", async () => {
    const engine = await openEngine({
      receiptPollMs: 0,
      waitRetryMs: 0,
      replaceAfterMs: 10_000,
      replaceAfterBlocks: 1_000,
    });
    const { core, chain, submit, rounds } = engine;
    // Gas limit 130k: this pays up to ~7.7 gwei per gas.
    chain.balanceWei = 1_000_000n * GWEI;

    const first = await submit(1);
    await rounds(6, 1_000);
    expect((await core.get(first))?.state).toBe("EXECUTING");
    const [signedAtTwoGwei] = await core.attempts(first);
    expect(signedAtTwoGwei?.max_fee_per_gas).toBe((2n * GWEI).toString());

    // The spike: the base fee jumps to 100 gwei, the node evicts what offers less and refuses it.
    chain.pool.clear();
    chain.baseFeeWei = 100n * GWEI;
    chain.market = { maxFeePerGas: 200n * GWEI, maxPriorityFeePerGas: GWEI };
    const second = await submit(2);
    await rounds(10, 20_000);

    // No attempt the key cannot pay was signed for the first; the second was not signed at all and
    // says why it waits (readiness itself still said "ready": it is cached).
    const duringSpike = await core.attempts(first);
    for (const attempt of duringSpike)
      expect(BigInt(attempt.max_fee_per_gas) * 130_000n).toBeLessThanOrEqual(chain.balanceWei);
    expect(await core.attempts(second)).toEqual([]);
    const waiting = (await core.events(second, 0, 100)).filter((event) => event.message_type === "WAITING");
    expect(waiting).toHaveLength(1);
    expect(waiting[0]?.payload).toMatchObject({
      reason: "SESSION_KEY_NOT_READY",
      readiness_reason: "INSUFFICIENT_GAS",
    });
    expect((await core.get(first))?.state).toBe("EXECUTING");

    // The base fee falls back: the first's nonce is signed again at the market fee and both complete.
    chain.baseFeeWei = GWEI;
    chain.market = { maxFeePerGas: 3n * GWEI, maxPriorityFeePerGas: GWEI };
    for (let i = 0; i < 10; i++) {
      await rounds(1, 20_000);
      chain.mine();
    }
    expect((await core.get(first))?.state).toBe("COMPLETED");
    expect((await core.get(second))?.state).toBe("COMPLETED");
    const final = await core.attempts(first);
    expect(final.filter((attempt) => attempt.status === "MINED")).toHaveLength(1);
  });
});
