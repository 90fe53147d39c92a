import { getAddress } from "viem";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { sessionKeyExecutorAbi, vaultRegistryAbi } from "../../contracts/generated/abis";
import type { Intent, IntentEvent } from "../../lib/defix";
import { depositIntent } from "../domain/test-support/intents";
import { type EngineWorld, startEngineWorld } from "../keys/test-support/engine-world";
import { sendPrepared } from "../keys/test-support/harness";
import { DIALECTS } from "../store/test-support/databases";

/**
 * On-chain limits seen from the OMS (issue 20): an intent over its budget waits with BUDGET_EXHAUSTED (and the
 * refill time) instead of broadcasting a transaction that reverts, and completes once the window refills; a
 * paused vault's intents wait with PAUSED and resume after the unpause. Readiness reports both.
 */

const DUSD = 1_000_000n;
const DAY = 86_400;

async function poll<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await read();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.each(DIALECTS)("on-chain limits in the engine (%s)", (dialect) => {
  let env: EngineWorld;
  let n = 0;
  const manager = () => env.world.wallet(env.world.accounts.managerOne);
  const events = (id: string): Promise<IntentEvent[]> => env.intents.events(id, 0, 200);
  const submit = async (amount: bigint): Promise<Intent> => {
    n += 1;
    const submission = depositIntent(env.alpha, {
      source: env.world.manifest.contracts.yield_sources[0]?.address,
      sizeExpr: amount.toString(),
      strategyId: `limits-${n}`,
      ttlSeconds: 3_600,
    });
    return (await env.intents.submit(submission, { subject: "svc:strategy-runner", kind: "service" })).intent;
  };
  const settled = (id: string) =>
    poll(`intent ${id} to complete`, async () => {
      const intent = await env.intents.get(id);
      if (intent?.state === "COMPLETED") return intent;
      if (intent && ["FAILED", "ABORTED", "EXPIRED", "CANCELED"].includes(intent.state))
        throw new Error(`intent ended ${intent.state}: ${JSON.stringify(intent)}`);
      return undefined;
    });
  const waitingWith = (id: string, reason: string) =>
    poll(`WAITING ${reason}`, async () =>
      (await events(id)).find((event) => event.message_type === "WAITING" && event.payload.reason === reason),
    );
  const registryCall = async (functionName: "pause" | "unpause") =>
    env.world.mined(
      manager().writeContract({
        address: env.world.manifest.contracts.registry,
        abi: vaultRegistryAbi,
        functionName,
        args: [getAddress(env.alpha.address)],
      }),
    );

  beforeAll(async () => {
    env = await startEngineWorld(dialect);
    const granted = await env.keys.prepareGrant(env.alpha.vault_id, undefined, {
      subject: env.world.accounts.managerOne.address.toLowerCase(),
    });
    await sendPrepared(env.world, granted);
  }, 60_000);
  afterAll(async () => env?.stop());

  it("executes up to the budget, waits BUDGET_EXHAUSTED with the refill time, completes after the window refills", async () => {
    const hook = getAddress(env.alpha.merkle.hooks.find((leaf) => leaf.label.startsWith("Deposit4626Hook"))!.hook);
    await env.world.mined(
      manager().writeContract({
        address: env.world.manifest.contracts.executor,
        abi: sessionKeyExecutorAbi,
        functionName: "setBudget",
        args: [getAddress(env.alpha.address), hook, 100n * DUSD, 0, DAY, false],
      }),
    );
    const first = await submit(60n * DUSD);
    await settled(first.id);
    const second = await submit(40n * DUSD);
    await settled(second.id);

    const readiness = await env.keys.readiness(env.alpha.vault_id);
    expect(readiness).toMatchObject({ is_ready: true, limit_reason: "BUDGET_EXHAUSTED" });
    const [budget] = readiness.limits?.budgets ?? [];
    expect(budget).toMatchObject({
      hook: hook.toLowerCase(),
      hook_name: "Deposit4626Hook",
      max_amount: (100n * DUSD).toString(),
      used_amount: (100n * DUSD).toString(),
      remaining_amount: "0",
      exhausted: true,
    });

    const blockBefore = await env.world.publicClient.getBlockNumber();
    const third = await submit(30n * DUSD);
    const waiting = await waitingWith(third.id, "BUDGET_EXHAUSTED");
    expect(waiting.payload).toMatchObject({ hook: hook.toLowerCase(), refill_at: budget?.refill_at });
    // Several retry rounds: no transaction, no second WAITING event, no block with a reverted transaction.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await env.intents.attempts(third.id)).toEqual([]);
    expect((await events(third.id)).filter((event) => event.message_type === "WAITING")).toHaveLength(1);
    expect(await env.world.publicClient.getBlockNumber()).toBe(blockBefore);

    await env.world.advance(DAY);
    const done = await settled(third.id);
    expect(done.state).toBe("COMPLETED");
    const [attempt] = await env.intents.attempts(third.id);
    const receipt = await env.world.publicClient.getTransactionReceipt({ hash: attempt!.tx_hash as `0x${string}` });
    expect(receipt.status).toBe("success");
    // Every transaction the key ever sent succeeded.
    for (const intent of [first, second]) {
      for (const sent of await env.intents.attempts(intent.id)) {
        const mined = await env.world.publicClient.getTransactionReceipt({ hash: sent.tx_hash as `0x${string}` });
        expect(mined.status).toBe("success");
      }
    }
  }, 60_000);

  it("reserves in-flight spend: of 6 concurrent intents against a budget of 3 executions, exactly 3 execute, the rest wait BUDGET_EXHAUSTED, no transaction reverts", async () => {
    const hook = getAddress(env.alpha.merkle.hooks.find((leaf) => leaf.label.startsWith("Deposit4626Hook"))!.hook);
    await env.world.advance(DAY); // a fresh window: earlier tests' use does not count
    await env.world.mined(
      manager().writeContract({
        address: env.world.manifest.contracts.executor,
        abi: sessionKeyExecutorAbi,
        functionName: "setBudget",
        args: [getAddress(env.alpha.address), hook, 0n, 3, DAY, false],
      }),
    );
    // Nothing mines while they plan and sign: each signed transaction is in flight, not yet in the budget state.
    await env.world.testClient.setAutomine(false);
    onTestFinished(() => env.world.testClient.setAutomine(true));
    const intents = await Promise.all(Array.from({ length: 6 }, (_, i) => submit(BigInt(i + 1) * DUSD)));
    const split = await poll("each intent signed or waiting BUDGET_EXHAUSTED", async () => {
      const states = await Promise.all(
        intents.map(async (intent) => ({
          intent,
          sent: (await env.intents.attempts(intent.id)).length > 0,
          waiting: (await events(intent.id)).some(
            (event) => event.message_type === "WAITING" && event.payload.reason === "BUDGET_EXHAUSTED",
          ),
        })),
      );
      if (!states.every((entry) => entry.sent || entry.waiting)) return undefined;
      return { sent: states.filter((entry) => entry.sent), waiting: states.filter((entry) => !entry.sent) };
    });
    // Several retry rounds later still nothing more went out.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(split.sent).toHaveLength(3);
    for (const { intent } of split.waiting) expect(await env.intents.attempts(intent.id)).toEqual([]);

    await env.world.testClient.setAutomine(true);
    await env.world.testClient.mine({ blocks: 1 });
    for (const { intent } of split.sent) expect((await settled(intent.id)).state).toBe("COMPLETED");
    for (const intent of intents) {
      for (const sent of await env.intents.attempts(intent.id)) {
        const mined = await env.world.publicClient.getTransactionReceipt({ hash: sent.tx_hash as `0x${string}` });
        expect(mined.status).toBe("success");
      }
    }
    // The window refills: the three that waited complete.
    await env.world.advance(DAY);
    for (const { intent } of split.waiting) expect((await settled(intent.id)).state).toBe("COMPLETED");
    // Remove the budget (period 0) so the next test is not bound by it.
    await env.world.mined(
      manager().writeContract({
        address: env.world.manifest.contracts.executor,
        abi: sessionKeyExecutorAbi,
        functionName: "setBudget",
        args: [getAddress(env.alpha.address), hook, 0n, 0, 0, false],
      }),
    );
  }, 90_000);

  it("holds a paused vault's intents with PAUSED (readiness says so) and resumes after the unpause", async () => {
    await registryCall("pause");
    const readiness = await env.keys.readiness(env.alpha.vault_id);
    expect(readiness).toMatchObject({ is_ready: false, reason: "PAUSED", limit_reason: "PAUSED" });
    expect(await env.keys.signerFor(env.alpha.vault_id)).toBeNull();

    const intent = await submit(1n * DUSD);
    await waitingWith(intent.id, "PAUSED");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await env.intents.attempts(intent.id)).toEqual([]);

    await registryCall("unpause");
    expect((await settled(intent.id)).state).toBe("COMPLETED");
    expect((await env.keys.readiness(env.alpha.vault_id)).reason).toBeNull();
  }, 60_000);
});
