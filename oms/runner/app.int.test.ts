import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { StrategyList } from "../../lib/defix/strategies";
import { buildRunnerApp, type RunnerApp } from "./app";
import { loadRunnerConfig } from "./config";
import { strategyIdFor } from "./seed";
import {
  FakeOms,
  fakeChain,
  fakeManifest,
  fakeRegistry,
  PRIMARY,
  SECONDARY,
  SRC_A,
  SRC_B,
  testIssuer,
  VAULT_ID,
  VIEWER,
} from "./test-support/fakes";

// The runner's API and engine against a real SQLite store and real JWT checks; OMS and chain are fakes here
// (runner-oms.int.test.ts runs the same loop against anvil and the real OMS).
let dir: string;
let runner: RunnerApp;
let oms: FakeOms;
let clock = Date.parse("2026-01-01T00:00:00Z");
let issuer: Awaited<ReturnType<typeof testIssuer>>;
const snapshot = {
  freeAssets: 50_000_000n,
  sources: [
    { address: SRC_A, sharePrice: 1_000_000n, positionShares: 40_000_000n, positionAssets: 40_000_000n },
    { address: SRC_B, sharePrice: 1_200_000n, positionShares: 0n, positionAssets: 0n },
  ],
};
const inflowId = strategyIdFor(VAULT_ID, "INFLOW");
const rebalanceId = strategyIdFor(VAULT_ID, "REBALANCE");

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "runner-api-"));
  issuer = await testIssuer();
  const keyFile = path.join(dir, "public.jwk.json");
  writeFileSync(keyFile, JSON.stringify(issuer.publicJwk));
  const config = loadRunnerConfig({
    DATA_DIR: dir,
    OMS_JWT_PUBLIC_KEY_FILE: keyFile,
    RUNNER_TICK_MS: "5000",
    VIEW_ONLY: `${VIEWER}=${VAULT_ID}`,
  });
  oms = new FakeOms();
  runner = await buildRunnerApp({
    config,
    manifest: fakeManifest(),
    oms,
    chain: fakeChain(() => snapshot),
    registry: fakeRegistry(),
    logger: false,
    now: () => clock,
  });
});

afterAll(async () => {
  await runner.app.close();
  rmSync(dir, { recursive: true, force: true });
});

async function call(method: "GET" | "PUT", url: string, subject: string | null, payload?: object) {
  const headers: Record<string, string> = subject ? { authorization: `Bearer ${await issuer.sign(subject)}` } : {};
  return runner.app.inject({ method, url, headers, payload });
}
const list = async (subject: string = PRIMARY) =>
  StrategyList.parse((await call("GET", `/strategies?vault_id=${VAULT_ID}`, subject)).json());
const strategy = async (id: string) => (await list()).strategies.find((s) => s.strategy_id === id)!;
const setState = async (id: string, state: "IDLE" | "RUNNING", subject: string = PRIMARY) =>
  call("PUT", `/strategies/${id}/state`, subject, { state, expected_version: (await strategy(id)).version });

describe("runner API", () => {
  it("lists the three seeded lanes, all IDLE, to anyone holding a role", async () => {
    const body = await list(VIEWER);
    expect(body.kill_switch).toBe(false);
    expect(body.strategies.map((s) => [s.lane, s.state]).sort()).toEqual([
      ["INFLOW", "IDLE"],
      ["OUTFLOW", "IDLE"],
      ["REBALANCE", "IDLE"],
    ]);
  });

  it("refuses callers without a valid token or a role", async () => {
    expect((await call("GET", `/strategies?vault_id=${VAULT_ID}`, null)).statusCode).toBe(401);
    const forged = await issuer.sign(PRIMARY, { issuer: "someone-else" });
    const res = await runner.app.inject({
      url: `/strategies?vault_id=${VAULT_ID}`,
      headers: { authorization: `Bearer ${forged}` },
    });
    expect(res.json().error.code).toBe("TOKEN_INVALID");
    const outsider = await call(
      "GET",
      `/strategies?vault_id=${VAULT_ID}`,
      "0x00000000000000000000000000000000000000ff",
    );
    expect(outsider.statusCode).toBe(403);
    const unknownVault = await call(
      "GET",
      "/strategies?vault_id=31337:0x00000000000000000000000000000000000000ff",
      PRIMARY,
    );
    expect(unknownVault.json().error.code).toBe("VAULT_NOT_FOUND");
  });

  it("lets managers change state and keeps view-only users read-only", async () => {
    expect((await setState(inflowId, "RUNNING", VIEWER)).statusCode).toBe(403);
    expect((await setState(inflowId, "RUNNING", SECONDARY)).statusCode).toBe(200);
    const res = await setState(inflowId, "IDLE", PRIMARY);
    expect(res.json()).toMatchObject({ state: "IDLE", version: 2 });
  });

  it("answers 409 VERSION_CONFLICT to a stale expected_version, with the current strategy", async () => {
    const res = await call("PUT", `/strategies/${inflowId}/state`, PRIMARY, { state: "RUNNING", expected_version: 0 });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: "VERSION_CONFLICT", details: { current: { version: 2 } } });
    expect((await strategy(inflowId)).state).toBe("IDLE");
  });

  it("rejects bodies outside the contract", async () => {
    const res = await call("PUT", `/strategies/${inflowId}/state`, PRIMARY, { state: "PAUSED", expected_version: 2 });
    expect(res.json().error.code).toBe("VALIDATION_FAILED");
    expect(
      (await call("PUT", "/strategies/nope/state", PRIMARY, { state: "IDLE", expected_version: 0 })).statusCode,
    ).toBe(404);
  });

  it("kill switch stops every strategy and blocks starting one until released", async () => {
    expect((await setState(inflowId, "RUNNING")).statusCode).toBe(200);
    expect((await call("PUT", `/vaults/${VAULT_ID}/kill-switch`, VIEWER, { engaged: true })).statusCode).toBe(403);
    const engaged = StrategyList.parse(
      (await call("PUT", `/vaults/${VAULT_ID}/kill-switch`, PRIMARY, { engaged: true })).json(),
    );
    expect(engaged.kill_switch).toBe(true);
    expect(engaged.strategies.every((s) => s.state === "IDLE")).toBe(true);
    expect((await setState(inflowId, "RUNNING")).json().error.code).toBe("CONFLICT");
    await call("PUT", `/vaults/${VAULT_ID}/kill-switch`, PRIMARY, { engaged: false });
    expect((await setState(inflowId, "RUNNING")).statusCode).toBe(200);
    // The OMS is told of each change (its KILL_SWITCH_ENGAGED alert), after the start-up sync of every vault.
    await expect
      .poll(() => oms.killSwitchReports.filter((r) => r.vaultId === VAULT_ID).slice(-2))
      .toEqual([
        { vaultId: VAULT_ID, engaged: true },
        { vaultId: VAULT_ID, engaged: false },
      ]);
  });
});

describe("runner engine", () => {
  beforeEach(() => {
    clock += 60_000;
  });

  it("publishes nothing while the session key is not ready, and says why", async () => {
    oms.ready = false;
    await runner.engine.runOnce();
    expect(oms.submitted).toHaveLength(0);
    expect((await strategy(inflowId)).last_error).toContain("NO_KEY");
    oms.ready = true;
  });

  it("publishes one intent per due tick and none while the previous one is in flight", async () => {
    await runner.engine.runOnce();
    expect(oms.submitted).toHaveLength(1);
    expect(oms.submitted[0]).toMatchObject({ action: "DEPOSIT", action_config: { target_address: SRC_B } });
    const first = await strategy(inflowId);
    expect(first).toMatchObject({ last_intent_state: "RECEIVED", last_error: null });

    clock += 60_000;
    oms.advance(first.last_intent_id!, "EXECUTING");
    await runner.engine.runOnce();
    expect(oms.submitted).toHaveLength(1);
    expect((await strategy(inflowId)).last_intent_state).toBe("EXECUTING");

    oms.advance(first.last_intent_id!, "COMPLETED");
    await runner.engine.runOnce();
    expect((await strategy(inflowId)).last_intent_state).toBe("COMPLETED");
    await runner.engine.runOnce();
    expect(oms.submitted).toHaveLength(2);
    expect(oms.submitted[1]!.action_config.execution_params).not.toEqual(
      oms.submitted[0]!.action_config.execution_params,
    );
  });

  it("waits for the tick interval between submissions", async () => {
    oms.advance((await strategy(inflowId)).last_intent_id!, "COMPLETED");
    await runner.engine.runOnce();
    await runner.engine.runOnce();
    const count = oms.submitted.length;
    oms.advance((await strategy(inflowId)).last_intent_id!, "COMPLETED");
    clock += 1_000;
    await runner.engine.runOnce();
    await runner.engine.runOnce();
    expect(oms.submitted).toHaveLength(count);
    clock += 5_000;
    await runner.engine.runOnce();
    expect(oms.submitted).toHaveLength(count + 1);
  });

  it("records a failed intent's error code on the strategy", async () => {
    const last = await strategy(inflowId);
    oms.advance(last.last_intent_id!, "FAILED", { code: "SIMULATION_REVERTED", message: "reverted" });
    await runner.engine.runOnce();
    expect(await strategy(inflowId)).toMatchObject({
      last_intent_state: "FAILED",
      last_error: "SIMULATION_REVERTED: reverted",
    });
  });

  it("rebalances with two proofs and stops publishing once the strategy is IDLE", async () => {
    await setState(inflowId, "IDLE");
    await setState(rebalanceId, "RUNNING");
    const before = oms.submitted.length;
    await runner.engine.runOnce();
    expect(oms.submitted).toHaveLength(before + 1);
    const rebalance = oms.submitted.at(-1)!;
    expect(rebalance.action).toBe("REBALANCE");
    expect(rebalance.auth_signing.proofs).toHaveLength(2);
    expect(rebalance.action_config.execution_params).toMatchObject({ to_yield_source: SRC_B });

    await setState(rebalanceId, "IDLE");
    oms.advance((await strategy(rebalanceId)).last_intent_id!, "COMPLETED");
    clock += 60_000;
    await runner.engine.runOnce();
    await runner.engine.runOnce();
    expect(oms.submitted).toHaveLength(before + 1);
  });

  it("keeps publishing while its intents wait for approval, up to 3, and not while an approved one executes", async () => {
    await setState(inflowId, "RUNNING");
    const ours = () => oms.submitted.filter((request) => request.strategy_id === inflowId).length;
    const newest = async () => (await strategy(inflowId)).last_intent_id!;
    for (const intent of oms.intents.values()) if (intent.strategy_id === inflowId) oms.advance(intent.id, "COMPLETED");
    clock += 60_000;
    await runner.engine.runOnce();
    await runner.engine.runOnce();
    const before = ours();
    const waiting: string[] = [];
    // Each tick's intent is caught by a policy; the next due tick publishes again, until three wait.
    for (let tick = 0; tick < 8; tick += 1) {
      const latest = await newest();
      if (!waiting.includes(latest)) {
        waiting.push(latest);
        oms.setApproval(latest, "pending");
      }
      clock += 60_000;
      await runner.engine.runOnce();
    }
    expect(ours()).toBe(before + 2);
    expect(new Set(waiting).size).toBe(3);

    // One is approved and executes: two wait (below the bound), yet it holds the next tick back.
    oms.setApproval(waiting[0]!, "approved");
    oms.advance(waiting[0]!, "EXECUTING");
    for (let tick = 0; tick < 3; tick += 1) {
      clock += 60_000;
      await runner.engine.runOnce();
    }
    expect(ours()).toBe(before + 2);

    oms.advance(waiting[0]!, "COMPLETED");
    clock += 60_000;
    await runner.engine.runOnce();
    await runner.engine.runOnce();
    expect(ours()).toBe(before + 3);
    await setState(inflowId, "IDLE");
  });
});
