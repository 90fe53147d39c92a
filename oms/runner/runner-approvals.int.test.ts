import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_ACCOUNT_ROLES, devAccount } from "../../lib/chain/dev-accounts";
import {
  type ApprovalPolicy,
  ApprovalPolicyState,
  approvalPolicyTypedData,
  intentDecisionTypedData,
} from "../../lib/defix/approvals";
import { type Intent, IntentList } from "../../lib/defix/intents";
import type { ManifestVault } from "../../lib/deployment/manifest";
import type { RunnerApp } from "./app";
import { strategyIdFor } from "./seed";
import { type RunnerWorld, startRunnerWorld } from "./test-support/runner-world";

// Issue 15: a strategy whose intents wait for a quorum keeps publishing, up to the bound, while one that is
// executing still holds the next back. Anvil + the real OMS over HTTP + the runner, with a policy that
// catches every intent of the vault (the manager alone approves).
const MAX_WAITING = 2;
let world: RunnerWorld;
let vault: ManifestVault;
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

const headers = async () => ({ ...(await world.authorization()), "content-type": "application/json" });

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
  world = await startRunnerWorld("runner-approvals", { RUNNER_MAX_WAITING_PER_STRATEGY: String(MAX_WAITING) });
  ({ vault, omsUrl, runner } = world);
  await world.grantSessionKey();
  await putPolicy(EVERY_INTENT);
}, 120_000);

afterAll(async () => {
  await world?.stop();
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
