import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createPublicClient, createWalletClient, http } from "viem";
import { anvil as anvilChain } from "viem/chains";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureIssuerKey, issueOmsToken } from "../../lib/auth/issuer";
import { DEV_ACCOUNT_ROLES, devAccount } from "../../lib/chain/dev-accounts";
import { Intent } from "../../lib/defix/intents";
import { PreparedTransaction } from "../../lib/defix/session-keys";
import { type Strategy, StrategyPreview } from "../../lib/defix/strategies";
import type { DeploymentManifest, ManifestVault } from "../../lib/deployment/manifest";
import { deployWorld } from "../../scripts/deploy/world";
import { type AnvilInstance, startAnvil } from "../../test/anvil";
import { createOms, type Oms } from "../app";
import { loadConfig } from "../config";
import { buildRunnerApp, type RunnerApp } from "./app";
import { loadRunnerConfig } from "./config";
import { strategyIdFor } from "./seed";

// The loop end to end: anvil + deployed world + the real OMS over HTTP + the runner. A RUNNING strategy
// whose vault has a ready session key publishes intents that the OMS executes to COMPLETED.
let chain: AnvilInstance;
let dir: string;
let manifest: DeploymentManifest;
let vault: ManifestVault;
let oms: Oms;
let omsUrl: string;
let runner: RunnerApp;
const manager = devAccount(DEV_ACCOUNT_ROLES.managerOne);

beforeAll(async () => {
  chain = await startAnvil({ quiet: true });
  dir = mkdtempSync(path.join(tmpdir(), "runner-oms-"));
  manifest = await deployWorld({ rpcUrl: chain.rpcUrl, dataDir: dir });
  vault = manifest.vaults.find((v) => v.primary_manager === manager.address.toLowerCase())!;
  const issuer = await ensureIssuerKey(dir);
  const env = {
    DATA_DIR: dir,
    RPC_URL: chain.rpcUrl,
    DEPLOYMENT_FILE: path.join(dir, "deployment.json"),
    OMS_JWT_PUBLIC_KEY_FILE: issuer.publicKeyPath,
    SESSION_KEY_ENCRYPTION_KEY: "5a".repeat(32),
  };
  oms = await createOms(loadConfig({ ...env, OMS_PORT: "0", NODE_ENV: "test" }), {
    logger: false,
    engine: { waitRetryMs: 100, receiptPollMs: 50 },
    sessionKeys: { readinessCacheMs: 0 },
  });
  omsUrl = await oms.app.listen({ port: 0, host: "127.0.0.1" });
  runner = await buildRunnerApp({
    config: loadRunnerConfig({ ...env, OMS_URL: omsUrl, RUNNER_TICK_MS: "200", RUNNER_LOOP_MS: "100" }),
    manifest,
    logger: false,
  });
});

afterAll(async () => {
  await runner?.app.close();
  await oms?.app.close();
  await chain?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function managerToken(): Promise<string> {
  return (await issueOmsToken({ subject: manager.address, dataDir: dir })).token;
}

async function grantSessionKey(): Promise<void> {
  const response = await fetch(`${omsUrl}/defix/vaults/${vault.vault_id}/session-key/grant?requested_expiry=24h`, {
    headers: { authorization: `Bearer ${await managerToken()}` },
  });
  expect(response.status).toBe(200);
  const prepared = PreparedTransaction.parse(await response.json());
  const transport = http(chain.rpcUrl);
  const hash = await createWalletClient({ account: manager, chain: anvilChain, transport }).sendTransaction({
    to: prepared.to,
    data: prepared.data,
    value: BigInt(prepared.value),
  });
  const receipt = await createPublicClient({ chain: anvilChain, transport }).waitForTransactionReceipt({
    hash,
    pollingInterval: 50,
  });
  expect(receipt.status).toBe("success");
}

async function setState(strategyId: string, state: "IDLE" | "RUNNING"): Promise<Strategy> {
  const current = (await runner.repo.get(strategyId))!.strategy;
  const response = await runner.app.inject({
    method: "PUT",
    url: `/strategies/${strategyId}/state`,
    headers: { authorization: `Bearer ${await managerToken()}` },
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
    headers: { authorization: `Bearer ${await managerToken()}` },
  });
  return Intent.parse(await response.json());
}

async function preview(strategyId: string): Promise<StrategyPreview> {
  const response = await runner.app.inject({
    method: "POST",
    url: `/strategies/${strategyId}/preview`,
    headers: { authorization: `Bearer ${await managerToken()}` },
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
