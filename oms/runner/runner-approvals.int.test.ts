import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createPublicClient, createWalletClient, http } from "viem";
import { anvil as anvilChain } from "viem/chains";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureIssuerKey, issueOmsToken } from "../../lib/auth/issuer";
import { DEV_ACCOUNT_ROLES, devAccount } from "../../lib/chain/dev-accounts";
import {
  type ApprovalPolicy,
  ApprovalPolicyState,
  approvalPolicyTypedData,
  intentDecisionTypedData,
} from "../../lib/defix/approvals";
import { type Intent, IntentList } from "../../lib/defix/intents";
import { PreparedTransaction } from "../../lib/defix/session-keys";
import type { DeploymentManifest, ManifestVault } from "../../lib/deployment/manifest";
import { deployWorld } from "../../scripts/deploy/world";
import { type AnvilInstance, startAnvil } from "../../test/anvil";
import { createOms, type Oms } from "../app";
import { loadConfig } from "../config";
import { buildRunnerApp, type RunnerApp } from "./app";
import { loadRunnerConfig } from "./config";
import { strategyIdFor } from "./seed";

// Issue 15: a strategy whose intents wait for a quorum keeps publishing, up to the bound, while one that is
// executing still holds the next back. Anvil + the real OMS over HTTP + the runner, with a policy that
// catches every intent of the vault (the manager alone approves).
const MAX_WAITING = 2;
let chain: AnvilInstance;
let dir: string;
let manifest: DeploymentManifest;
let vault: ManifestVault;
let oms: Oms;
let omsUrl: string;
let runner: RunnerApp;
const manager = devAccount(DEV_ACCOUNT_ROLES.managerOne);

const EVERY_INTENT: ApprovalPolicy = {
  display_name: "Every intent",
  rules: [{ kind: "always" }],
  members: { managers: true, addresses: [] },
  threshold: 1,
  tolerance_bps: 10_000,
};

async function headers(): Promise<Record<string, string>> {
  const { token } = await issueOmsToken({ subject: manager.address, dataDir: dir });
  return { authorization: `Bearer ${token}`, "content-type": "application/json" };
}

async function grantSessionKey(): Promise<void> {
  const response = await fetch(`${omsUrl}/defix/vaults/${vault.vault_id}/session-key/grant?requested_expiry=24h`, {
    headers: await headers(),
  });
  const prepared = PreparedTransaction.parse(await response.json());
  const transport = http(chain.rpcUrl);
  const hash = await createWalletClient({ account: manager, chain: anvilChain, transport }).sendTransaction({
    to: prepared.to,
    data: prepared.data,
    value: BigInt(prepared.value),
  });
  await createPublicClient({ chain: anvilChain, transport }).waitForTransactionReceipt({ hash, pollingInterval: 50 });
}

async function putPolicy(policy: ApprovalPolicy): Promise<void> {
  const url = `${omsUrl}/defix/vaults/${vault.vault_id}/approval-policy`;
  const state = ApprovalPolicyState.parse(await (await fetch(url, { headers: await headers() })).json());
  const version = state.version + 1;
  const signature = await manager.signTypedData(
    approvalPolicyTypedData(vault.vault_id, version, state.head_hash, policy),
  );
  const body = JSON.stringify({ policy, version, signer: manager.address, signature });
  const response = await fetch(url, { method: "PUT", headers: await headers(), body });
  expect(response.status).toBe(200);
}

/** Every intent the strategy published so far, oldest first. */
async function published(strategyId: string): Promise<Intent[]> {
  const response = await fetch(`${omsUrl}/defix/intents?vault_id=${vault.vault_id}&limit=100`, {
    headers: await headers(),
  });
  const list = IntentList.parse(await response.json());
  return list.data
    .filter((intent) => intent.strategy_id === strategyId)
    .sort((a, b) => a.created_at.localeCompare(b.created_at));
}

async function until<T>(what: string, read: () => Promise<T | null>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function approve(intent: Intent): Promise<void> {
  const signature = await manager.signTypedData(
    intentDecisionTypedData("approve", { ...intent, authorization: intent.authorization ?? undefined } as never),
  );
  const response = await fetch(`${omsUrl}/defix/intents/${intent.id}/approvals`, {
    method: "POST",
    headers: await headers(),
    body: JSON.stringify({ member: manager.address, signature }),
  });
  expect(response.status).toBe(200);
}

beforeAll(async () => {
  chain = await startAnvil({ quiet: true });
  dir = mkdtempSync(path.join(tmpdir(), "runner-approvals-"));
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
    config: loadRunnerConfig({
      ...env,
      OMS_URL: omsUrl,
      RUNNER_TICK_MS: "200",
      RUNNER_LOOP_MS: "100",
      RUNNER_MAX_WAITING_PER_STRATEGY: String(MAX_WAITING),
    }),
    manifest,
    logger: false,
  });
  await grantSessionKey();
  await putPolicy(EVERY_INTENT);
}, 120_000);

afterAll(async () => {
  await runner?.app.close();
  await oms?.app.close();
  await chain?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("a strategy whose intents wait for approval", () => {
  it("keeps publishing up to the bound, and an approved intent that executes holds the next back", async () => {
    const inflow = strategyIdFor(vault.vault_id, "INFLOW");
    const current = (await runner.repo.get(inflow))!.strategy;
    const started = await runner.app.inject({
      method: "PUT",
      url: `/strategies/${inflow}/state`,
      headers: await headers(),
      payload: { state: "RUNNING", expected_version: current.version },
    });
    expect(started.statusCode).toBe(200);
    const listed = await runner.app.inject({
      method: "GET",
      url: `/strategies?vault_id=${vault.vault_id}`,
      headers: await headers(),
    });
    // The card says how many may wait.
    expect(listed.json()).toMatchObject({ max_waiting_approvals: MAX_WAITING });
    runner.engine.start();

    const waiting = await until("two intents waiting for approval", async () => {
      const intents = await published(inflow);
      return intents.filter((intent) => intent.approval_status === "pending").length === MAX_WAITING ? intents : null;
    });
    // At the bound it stops: many more ticks are due, no third intent is published.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await published(inflow)).toHaveLength(MAX_WAITING);

    const [first] = waiting;
    await approve(first!);
    const completed = await until("the approved intent to complete", async () => {
      const intent = (await published(inflow)).find((candidate) => candidate.id === first!.id);
      return intent?.state === "COMPLETED" ? intent : null;
    });
    // One waiting is below the bound, yet nothing was published while the approved one executed.
    const next = await until("a new intent after the approved one ended", async () => {
      const intents = await published(inflow);
      return intents.length > MAX_WAITING ? intents.slice(MAX_WAITING) : null;
    });
    for (const intent of next)
      expect(Date.parse(intent.created_at)).toBeGreaterThanOrEqual(Date.parse(completed.completed_at!));
    await until("the strategy back at the bound", async () => {
      const intents = await published(inflow);
      return intents.filter((intent) => intent.approval_status === "pending").length === MAX_WAITING ? true : null;
    });
  }, 180_000);
});
