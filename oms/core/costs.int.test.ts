import type { LocalAccount } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ManifestVault } from "../../lib/deployment/manifest";
import type { ChainGateway } from "../chain/gateway";
import { submission } from "../domain/test-support/intents";
import { type Harness, startHarness, TERMINAL, waitFor, waitForState } from "../engine/test-support/harness";
import {
  grantSessionKey,
  memoryKeyProvider,
  setAutomine,
  startTestWorld,
  type TestWorld,
} from "../engine/test-support/world";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../store/test-support/databases";
import { createCostService } from "./costs";
import type { Actor } from "./intent-service";

const actor: Actor = { subject: "svc:test", kind: "service" };

let world: TestWorld;
beforeAll(async () => {
  world = await startTestWorld();
});
afterAll(async () => {
  await world?.stop();
});

/** What the chain says the key paid in blocks (from, to]: Σ gasUsed × effectiveGasPrice over its receipts. */
async function chainCost(signer: string, fromBlock: bigint, toBlock: bigint) {
  let successful = 0n;
  let wasted = 0n;
  let transactions = 0;
  for (let n = fromBlock + 1n; n <= toBlock; n++) {
    const block = await world.client.getBlock({ blockNumber: n, includeTransactions: true });
    for (const tx of block.transactions) {
      if (tx.from.toLowerCase() !== signer.toLowerCase()) continue;
      const receipt = await world.client.getTransactionReceipt({ hash: tx.hash });
      const cost = receipt.gasUsed * receipt.effectiveGasPrice;
      transactions++;
      if (receipt.status === "success") successful += cost;
      else wasted += cost;
    }
  }
  return { successful, wasted, transactions };
}

/**
 * Issue 19: cost totals come from receipts and count each transaction once: a fee-bump replacement
 * that never mined costs nothing, a REBALANCE's two fills share one transaction, a reverted
 * transaction is wasted. The API's figures equal the chain's receipts to the wei.
 */
describe.each(DIALECTS)("vault costs on %s", (dialect) => {
  let testDb: TestDatabase;
  let vault: ManifestVault;
  let key: LocalAccount;
  let h: Harness;
  let revertingChain: ChainGateway;

  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
    vault = world.manifest.vaults[0] as ManifestVault;
    key = await grantSessionKey(world, vault);
    const keys = memoryKeyProvider(world);
    keys.set(vault.vault_id, key);
    h = await startHarness(world, testDb, { keys, engine: { replaceAfterMs: 500, replaceAfterBlocks: 1_000 } });
    // A chain whose simulation always passes: the OMS broadcasts a call that then reverts on-chain.
    revertingChain = { ...world.chain, simulate: async () => ({ ok: true, outputs: [1n], gas: 400_000n }) };
  });
  afterAll(async () => {
    await h?.stop();
    await testDb?.destroy();
  });

  const run = async (service: Harness, spec: Parameters<typeof submission>[2]) => {
    const { intent } = await service.service.submit(submission(world.manifest, vault, spec), actor);
    return waitForState(service.service, intent.id, TERMINAL);
  };

  it("equals the chain's receipts: replacement unmined, REBALANCE once, reverted as wasted", async () => {
    const from = new Date(Date.now() - 1_000);
    const startBlock = await world.client.getBlockNumber();
    h.startWorkers(1);
    const strategy = `costs-${dialect}`;

    expect((await run(h, { action: "DEPOSIT", sizeExpr: "5000000", strategyId: strategy })).state).toBe("COMPLETED");

    // Left unmined, replaced by a fee bump, then mined: two attempts, one transaction.
    await world.rpc("evm_setAutomine", [false]);
    let bumped: string;
    try {
      const { intent } = await h.service.submit(
        submission(world.manifest, vault, { action: "DEPOSIT", sizeExpr: "3000000", strategyId: strategy }),
        actor,
      );
      bumped = intent.id;
      await waitFor(async () => (await h.service.attempts(bumped)).length >= 2, "a replacement");
    } finally {
      await setAutomine(world);
    }
    await world.rpc("evm_mine");
    expect((await waitForState(h.service, bumped, TERMINAL)).state).toBe("COMPLETED");

    const rebalance = await run(h, {
      action: "REBALANCE",
      sizeExpr: "1000000",
      source: 0,
      toSource: 1,
      strategyId: strategy,
    });
    expect(rebalance.state).toBe("COMPLETED");
    expect(await h.service.fills(rebalance.id)).toHaveLength(2);
    await h.stop();

    // Simulation passes, execution reverts (redeeming far more than the vault holds).
    const reverting = await startHarness({ ...world, chain: revertingChain }, testDb, {
      keys: h.keys,
      engine: { replaceAfterMs: 60_000 },
    });
    reverting.startWorkers(1);
    const reverted = await run(reverting, {
      action: "WITHDRAWAL",
      sizeExpr: "999999999999999",
      source: 2,
      strategyId: "other",
    });
    expect(reverted).toMatchObject({ state: "FAILED", error: { code: "EXECUTION_REVERTED" } });
    await reverting.stop();

    const endBlock = await world.client.getBlockNumber();
    const chain = await chainCost(key.address, startBlock, endBlock);
    expect(chain.transactions).toBe(4);
    expect(chain.wasted).toBeGreaterThan(0n);

    const costs = createCostService({ db: reverting.db.db, now: () => new Date(Date.now() + 1_000) });
    const byStrategy = await costs.costs(vault.vault_id, { from: from.toISOString(), group_by: "strategy" });
    expect(byStrategy.totals).toMatchObject({
      transactions: 4,
      reverted_transactions: 1,
      unmined_attempts: 1,
      successful_wei: chain.successful.toString(),
      wasted_wei: chain.wasted.toString(),
      total_wei: (chain.successful + chain.wasted).toString(),
      completed_intents: 3,
      wei_per_completed_intent: ((chain.successful + chain.wasted) / 3n).toString(),
      unknown_cost_transactions: 0,
    });
    expect(byStrategy.groups.map((g) => [g.key, g.transactions, g.completed_intents])).toEqual(
      [
        [strategy, 3, 3],
        ["other", 1, 0],
      ].sort(),
    );
    expect(byStrategy.groups.find((g) => g.key === "other")?.wasted_wei).toBe(chain.wasted.toString());

    const byDay = await costs.costs(vault.vault_id, { from: from.toISOString(), group_by: "day" });
    expect(byDay.groups.reduce((sum, g) => sum + BigInt(g.total_wei), 0n)).toBe(chain.successful + chain.wasted);
    const byAction = await costs.costs(vault.vault_id, { from: from.toISOString(), group_by: "action" });
    expect(Object.fromEntries(byAction.groups.map((g) => [g.key, g.transactions]))).toEqual({
      DEPOSIT: 2,
      REBALANCE: 1,
      WITHDRAWAL: 1,
    });
    // A window that ends before any of it: nothing.
    const before = await costs.costs(vault.vault_id, {
      from: new Date(from.getTime() - 60_000).toISOString(),
      to: from.toISOString(),
      group_by: "day",
    });
    expect(before.totals.total_wei).toBe("0");
  });
});
