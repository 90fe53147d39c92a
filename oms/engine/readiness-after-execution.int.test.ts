import { getAddress } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessionKeyExecutorAbi } from "../../contracts/generated/abis";
import { depositIntent } from "../domain/test-support/intents";
import { type EngineWorld, startEngineWorld } from "../keys/test-support/engine-world";
import { sendPrepared } from "../keys/test-support/harness";

/**
 * Readiness is cached (5 s in production; a minute here so the cache cannot expire on its own during the test)
 * and the engine reads it right before signing. Once the OMS's own execution is mined, the next readiness must
 * be the chain's after it: the canvas's budget bar and key balance follow the intents that just completed.
 */
const DUSD = 1_000_000n;
const DAY = 86_400;

describe("readiness after the OMS's own execution", () => {
  let env: EngineWorld;

  beforeAll(async () => {
    env = await startEngineWorld("sqlite", { keys: { readinessCacheMs: 60_000 } });
    const granted = await env.keys.prepareGrant(env.alpha.vault_id, undefined, {
      subject: env.world.accounts.managerOne.address.toLowerCase(),
    });
    await sendPrepared(env.world, granted);
  }, 60_000);
  afterAll(async () => env?.stop());

  it("shows the budget used and the key's gas spent by an intent that just completed", async () => {
    const hook = getAddress(
      env.alpha.merkle.hooks.find((leaf) => leaf.label.startsWith("Deposit4626Hook"))?.hook ?? "",
    );
    await env.world.mined(
      env.world.wallet(env.world.accounts.managerOne).writeContract({
        address: env.world.manifest.contracts.executor,
        abi: sessionKeyExecutorAbi,
        functionName: "setBudget",
        args: [getAddress(env.alpha.address), hook, 100n * DUSD, 0, DAY, false],
      }),
    );
    const before = await env.keys.readiness(env.alpha.vault_id);
    expect(before.limits?.budgets[0]?.used_amount).toBe("0");

    const submission = depositIntent(env.alpha, {
      source: env.world.manifest.contracts.yield_sources[0]?.address,
      sizeExpr: (7n * DUSD).toString(),
      strategyId: "readiness-after-execution",
      ttlSeconds: 3_600,
    });
    const { intent } = await env.intents.submit(submission, { subject: "svc:strategy-runner", kind: "service" });
    const deadline = Date.now() + 30_000;
    while ((await env.intents.get(intent.id))?.state !== "COMPLETED") {
      if (Date.now() > deadline) throw new Error("the deposit did not complete");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    const after = await env.keys.readiness(env.alpha.vault_id);
    expect(after.limits?.budgets[0]).toMatchObject({ used_amount: (7n * DUSD).toString(), used_executions: 1 });
    expect(BigInt(after.balance_wei ?? "0")).toBeLessThan(BigInt(before.balance_wei ?? "0"));
  }, 60_000);
});
