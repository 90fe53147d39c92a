import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Intent } from "../../lib/defix/intents";
import { type Strategy, StrategyPreview } from "../../lib/defix/strategies";
import type { ManifestVault } from "../../lib/deployment/manifest";
import type { Oms } from "../app";
import type { RunnerApp } from "./app";
import { strategyIdFor } from "./seed";
import { type RunnerWorld, startRunnerWorld } from "./test-support/runner-world";

// The loop end to end: anvil + deployed world + the real OMS over HTTP + the runner. A RUNNING strategy
// whose vault has a ready session key publishes intents that the OMS executes to COMPLETED.
let world: RunnerWorld;
let vault: ManifestVault;
let oms: Oms;
let omsUrl: string;
let runner: RunnerApp;

beforeAll(async () => {
  world = await startRunnerWorld("runner-oms");
  ({ vault, oms, omsUrl, runner } = world);
});

afterAll(async () => {
  await world?.stop();
});

const grantSessionKey = () => world.grantSessionKey();
const authorization = () => world.authorization();

async function setState(strategyId: string, state: "IDLE" | "RUNNING"): Promise<Strategy> {
  const current = (await runner.repo.get(strategyId))!.strategy;
  const response = await runner.app.inject({
    method: "PUT",
    url: `/strategies/${strategyId}/state`,
    headers: await authorization(),
    payload: { state, expected_version: current.version },
  });
  expect(response.statusCode).toBe(200);
  return response.json();
}

async function waitForTerminalIntent(strategyId: string, timeoutMs = 60_000): Promise<Strategy> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { strategy } = (await runner.repo.get(strategyId))!;
    const state = strategy.last_intent_state;
    if (state === "COMPLETED" || state === "FAILED" || state === "ABORTED" || state === "EXPIRED") return strategy;
    if (Date.now() > deadline) throw new Error(`no terminal intent for ${strategyId}: ${JSON.stringify(strategy)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function omsIntent(id: string): Promise<Intent> {
  const response = await fetch(`${omsUrl}/defix/intents/${id}`, {
    headers: await authorization(),
  });
  return Intent.parse(await response.json());
}

async function preview(strategyId: string): Promise<StrategyPreview> {
  const response = await runner.app.inject({
    method: "POST",
    url: `/strategies/${strategyId}/preview`,
    headers: await authorization(),
  });
  expect(response.statusCode).toBe(200);
  return StrategyPreview.parse(response.json());
}

async function intentCount(): Promise<number> {
  const row = await oms.db.db
    .selectFrom("intents")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe("strategy runner against the real OMS", () => {
  it("previews the next intent refined by the OMS, creating nothing: a failing plan says why", async () => {
    const inflow = strategyIdFor(vault.vault_id, "INFLOW");
    const before = await intentCount();
    const failing = await preview(inflow);
    expect(failing).toMatchObject({
      kind: "refined",
      action: "DEPOSIT",
      refinement: { outcome: "FAILED", error: { code: "SESSION_KEY_NOT_READY", title: "No valid session key" } },
    });
    // OUTFLOW has no position to withdraw from yet: the rule itself skips, with its reason.
    const outflow = await preview(strategyIdFor(vault.vault_id, "OUTFLOW"));
    expect(outflow).toMatchObject({ kind: "skip", reason: "the vault holds no position to withdraw from" });
    expect(await intentCount()).toBe(before);
    expect((await runner.repo.get(inflow))!.strategy).toMatchObject({ last_intent_id: null, last_tick_at: null });
  });

  it("waits while the vault has no session key", async () => {
    const inflow = strategyIdFor(vault.vault_id, "INFLOW");
    await setState(inflow, "RUNNING");
    await runner.engine.runOnce();
    const { strategy } = (await runner.repo.get(inflow))!;
    expect(strategy.last_intent_id).toBeNull();
    expect(strategy.last_error).toContain("NO_KEY");
  });

  it("publishes a DEPOSIT that COMPLETES once the manager granted a key", async () => {
    await grantSessionKey();
    runner.engine.start();
    const strategy = await waitForTerminalIntent(strategyIdFor(vault.vault_id, "INFLOW"));
    expect(strategy).toMatchObject({ last_intent_state: "COMPLETED", last_error: null });
    const intent = await omsIntent(strategy.last_intent_id!);
    expect(intent).toMatchObject({ action: "DEPOSIT", state: "COMPLETED", submitted_by: "svc:strategy-runner" });
    expect(intent.strategy_id).toBe(strategy.strategy_id);
    expect(intent.tx_hash).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it("previews a plan once the vault has a key: size, hook calls and gas in ETH", async () => {
    const planned = await preview(strategyIdFor(vault.vault_id, "INFLOW"));
    expect(planned.kind).toBe("refined");
    if (planned.kind !== "refined") return;
    expect(planned.refinement).toMatchObject({ outcome: "PLANNED", error: null, signer: { is_ready: true } });
    expect(planned.refinement.calls[0]?.hook_name).toBe("Deposit4626Hook");
    expect(Number(planned.refinement.gas?.cost_eth)).toBeGreaterThan(0);
  });

  it("publishes a WITHDRAWAL from the position the deposit created", async () => {
    await setState(strategyIdFor(vault.vault_id, "INFLOW"), "IDLE");
    const outflow = strategyIdFor(vault.vault_id, "OUTFLOW");
    await setState(outflow, "RUNNING");
    const strategy = await waitForTerminalIntent(outflow);
    expect(strategy.last_intent_state).toBe("COMPLETED");
    expect((await omsIntent(strategy.last_intent_id!)).action).toBe("WITHDRAWAL");
    await setState(outflow, "IDLE");
  });
});
