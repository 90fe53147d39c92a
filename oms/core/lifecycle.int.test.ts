import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IntentEvent } from "../../lib/defix";
import type { ManifestVault } from "../../lib/deployment/manifest";
import { submission } from "../domain/test-support/intents";
import {
  type Harness,
  messageTypes,
  startHarness,
  TERMINAL,
  waitFor,
  waitForState,
} from "../engine/test-support/harness";
import { grantSessionKey, setAutomine, startTestWorld, type TestWorld } from "../engine/test-support/world";
import { DomainError } from "../kernel/errors";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../store/test-support/databases";
import type { Actor } from "./intent-service";

const actor: Actor = { subject: "0x00000000000000000000000000000000000000a1", kind: "user" };
const DUSD = 1_000_000n;

let world: TestWorld;
beforeAll(async () => {
  world = await startTestWorld();
});
afterAll(async () => {
  await world?.stop();
});

describe.each(DIALECTS)("intent lifecycle on %s", (dialect) => {
  let testDb: TestDatabase;
  let h: Harness;
  let vaultA: ManifestVault;
  let vaultB: ManifestVault;
  let vaultC: ManifestVault;

  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
    h = await startHarness(world, testDb);
    [vaultA, vaultB, vaultC] = world.manifest.vaults as [ManifestVault, ManifestVault, ManifestVault];
    h.keys.set(vaultA.vault_id, await grantSessionKey(world, vaultA));
    h.keys.set(vaultC.vault_id, await grantSessionKey(world, vaultC));
    h.startWorkers(2);
  });
  afterAll(async () => {
    await h?.stop();
    await testDb?.destroy();
  });

  const submit = (vault: ManifestVault, spec: Parameters<typeof submission>[2]) =>
    h.service.submit(submission(world.manifest, vault, spec), actor);

  it("DEPOSIT: reaches COMPLETED with a fill from a real successful transaction", async () => {
    const { intent, created } = await submit(vaultA, { action: "DEPOSIT", sizeExpr: String(1000n * DUSD), source: 0 });
    expect(created).toBe(true);
    expect(intent.state).toBe("RECEIVED");
    const done = await waitForState(h.service, intent.id, TERMINAL);
    expect(done).toMatchObject({ state: "COMPLETED", status: "Completed", size: String(1000n * DUSD), error: null });
    expect(done.completed_at).not.toBeNull();
    expect(done.gas_used).toBeGreaterThan(0);
    const events = await h.service.events(intent.id, 0, 100);
    expect(events.map((e) => e.seq_num)).toEqual(events.map((_, i) => i + 1));
    expect(messageTypes(events)).toEqual([
      "INTENT_RECEIVED",
      "INTENT_ACKED",
      "INTENT_STAGED",
      "INTENT_PLANNED",
      "TX_SIGNED",
      "INTENT_EXECUTING",
      "TX_BROADCAST",
      "TX_MINED",
      "FILL_RECORDED",
      "INTENT_COMPLETED",
    ]);
    const fills = await h.service.fills(intent.id);
    expect(fills).toHaveLength(1);
    const [fill] = fills;
    expect(fill).toMatchObject({
      tx_hash: done.tx_hash,
      chain_id: world.manifest.chain_id,
      amount_in: String(1000n * DUSD),
      token_in: world.manifest.contracts.asset.address,
      token_out: world.manifest.contracts.yield_sources[0]?.address,
      venue: world.manifest.contracts.yield_sources[0]?.name,
      gas_used: done.gas_used,
    });
    expect(BigInt(fill?.amount_out ?? "0")).toBeGreaterThan(0n);
    expect(fill?.mined_at).not.toBeNull();
    const receipt = await world.client.getTransactionReceipt({ hash: done.tx_hash as `0x${string}` });
    expect(receipt.status).toBe("success");
    expect(await h.service.attempts(intent.id)).toMatchObject([{ tx_hash: done.tx_hash, status: "MINED" }]);
  });

  it("WITHDRAWAL after a deposit: redeems from the position back to the vault", async () => {
    const { intent } = await submit(vaultA, { action: "WITHDRAWAL", sizeExpr: "position_assets / 2", source: 0 });
    const done = await waitForState(h.service, intent.id, TERMINAL);
    expect(done.state).toBe("COMPLETED");
    const [fill] = await h.service.fills(intent.id);
    expect(fill).toMatchObject({
      token_in: world.manifest.contracts.yield_sources[0]?.address,
      token_out: world.manifest.contracts.asset.address,
    });
    expect(BigInt(fill?.amount_out ?? "0")).toBeGreaterThanOrEqual(BigInt(done.size ?? "0"));
  });

  it("REBALANCE: redeems from one source and deposits the output into another in one transaction", async () => {
    const { intent } = await submit(vaultA, {
      action: "REBALANCE",
      sizeExpr: "position_assets / 2",
      source: 0,
      toSource: 1,
    });
    const done = await waitForState(h.service, intent.id, TERMINAL);
    expect(done.state).toBe("COMPLETED");
    const fills = await h.service.fills(intent.id);
    expect(fills.map((f) => f.venue)).toEqual(world.manifest.contracts.yield_sources.slice(0, 2).map((s) => s.name));
    expect(fills[1]?.amount_in).toBe(fills[0]?.amount_out);
    expect(new Set(fills.map((f) => f.tx_hash))).toEqual(new Set([done.tx_hash]));
  });

  it("idempotent: 20 identical concurrent submits create one intent; a new one only once it is terminal", async () => {
    const input = submission(world.manifest, vaultB, { action: "DEPOSIT", sizeExpr: "1000", strategyId: "idem" });
    const results = await Promise.all(Array.from({ length: 20 }, () => h.service.submit(input, actor)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.intent.id)).size).toBe(1);
    const id = results[0]?.intent.id ?? "";
    const again = await h.service.submit({ ...input, ttl_seconds: 999 }, actor);
    expect(again).toMatchObject({ created: false, intent: { id } });
    await h.service.cancel(id, actor);
    const fresh = await h.service.submit(input, actor);
    expect(fresh.created).toBe(true);
    expect(fresh.intent.id).not.toBe(id);
    await h.service.cancel(fresh.intent.id, actor);
  });

  it("without a session key: waits (one WAITING event), never signs, expires with SESSION_KEY_NOT_READY", async () => {
    const { intent } = await submit(vaultB, {
      action: "DEPOSIT",
      sizeExpr: "1000",
      ttlSeconds: 2,
      strategyId: "nokey",
    });
    const done = await waitForState(h.service, intent.id, TERMINAL);
    expect(done).toMatchObject({ state: "EXPIRED", error: { code: "SESSION_KEY_NOT_READY" } });
    const events = await h.service.events(intent.id, 0, 100);
    expect(messageTypes(events)).toEqual(["INTENT_RECEIVED", "INTENT_ACKED", "WAITING", "INTENT_EXPIRED"]);
    expect(await h.service.attempts(intent.id)).toEqual([]);
  });

  it("cancel before execution → CANCELED; cancel again → 409 INTENT_TERMINAL", async () => {
    const { intent } = await submit(vaultB, { action: "DEPOSIT", sizeExpr: "2000", strategyId: "cancel" });
    await waitForState(h.service, intent.id, ["ACKED"]);
    const canceled = await h.service.cancel(intent.id, actor);
    expect(canceled).toMatchObject({ state: "CANCELED", status: "Cancelled", error: { code: "CANCELED_BY_USER" } });
    await expect(h.service.cancel(intent.id, actor)).rejects.toMatchObject({ code: "INTENT_TERMINAL", status: 409 });
    await expect(h.service.cancel("7d1f7a3e-0000-4000-8000-000000000000", actor)).rejects.toMatchObject({
      status: 404,
    });
  });

  it("cancel while EXECUTING → 409 INTENT_EXECUTING, and the intent still completes", async () => {
    await world.rpc("evm_setAutomine", [false]);
    try {
      const { intent } = await submit(vaultA, { action: "DEPOSIT", sizeExpr: String(10n * DUSD), strategyId: "exec" });
      await waitForState(h.service, intent.id, ["EXECUTING"]);
      await expect(h.service.cancel(intent.id, actor)).rejects.toMatchObject({ code: "INTENT_EXECUTING", status: 409 });
      await world.rpc("evm_mine");
      expect((await waitForState(h.service, intent.id, TERMINAL)).state).toBe("COMPLETED");
    } finally {
      await setAutomine(world);
    }
  });

  it("a proof that does not verify → ABORTED MERKLE_PROOF_INVALID, nothing broadcast", async () => {
    const input = submission(world.manifest, vaultA, { action: "DEPOSIT", sizeExpr: "1000", strategyId: "badproof" });
    const proofs = input.auth_signing.proofs ?? [];
    const tampered = proofs.map((p) => ({ ...p, proof: p.proof.map(() => `0x${"ab".repeat(32)}` as const) }));
    const { intent } = await h.service.submit(
      { ...input, auth_signing: { ...input.auth_signing, proofs: tampered } },
      actor,
    );
    const done = await waitForState(h.service, intent.id, TERMINAL);
    expect(done).toMatchObject({ state: "ABORTED", error: { code: "MERKLE_PROOF_INVALID" } });
    expect(await h.service.attempts(intent.id)).toEqual([]);
  });

  it("a root other than the on-chain root → ABORTED MERKLE_ROOT_MISMATCH", async () => {
    const input = submission(world.manifest, vaultA, { action: "DEPOSIT", sizeExpr: "1000", strategyId: "badroot" });
    const { intent } = await h.service.submit(
      { ...input, auth_signing: { ...input.auth_signing, root: `0x${"cd".repeat(32)}` } },
      actor,
    );
    expect(await waitForState(h.service, intent.id, TERMINAL)).toMatchObject({
      state: "ABORTED",
      error: { code: "MERKLE_ROOT_MISMATCH" },
    });
  });

  it("a reverting hook → FAILED SIMULATION_REVERTED with the decoded reason, nothing broadcast", async () => {
    // Vault C holds no shares of source 2: the redeem hook reverts inside the yield source.
    const { intent } = await submit(vaultC, { action: "WITHDRAWAL", sizeExpr: String(500n * DUSD), source: 2 });
    const done = await waitForState(h.service, intent.id, TERMINAL);
    expect(done).toMatchObject({ state: "FAILED", error: { code: "SIMULATION_REVERTED" } });
    expect(done.error?.message).toMatch(/ERC4626ExceededMaxRedeem/);
    expect(await h.service.attempts(intent.id)).toEqual([]);
  });

  it("a deposit larger than the free assets → FAILED INSUFFICIENT_FREE_ASSETS", async () => {
    const { intent } = await submit(vaultC, { action: "DEPOSIT", sizeExpr: "vault_total_assets * 2" });
    expect(await waitForState(h.service, intent.id, TERMINAL)).toMatchObject({
      state: "FAILED",
      error: { code: "INSUFFICIENT_FREE_ASSETS" },
    });
  });

  it("refuses other account modes, unknown vaults and bad expressions at submit, storing nothing", async () => {
    const input = submission(world.manifest, vaultA, { action: "DEPOSIT", sizeExpr: "1000", strategyId: "refused" });
    const before = await h.service.list({ limit: 500 }, "all");
    await expect(h.service.submit({ ...input, account_mode: "EIP7702" }, actor)).rejects.toMatchObject({
      code: "ACCOUNT_MODE_NOT_SUPPORTED_BY_VAULT",
      status: 400,
    });
    await expect(
      h.service.submit({ ...input, vault_id: "31337:0x00000000000000000000000000000000000000ee" }, actor),
    ).rejects.toBeInstanceOf(DomainError);
    await expect(
      h.service.submit(
        { ...input, action_config: { ...input.action_config, size_expr: "vault_free_assets /" } },
        actor,
      ),
    ).rejects.toMatchObject({ code: "SIZE_EXPR_INVALID" });
    const after = await h.service.list({ limit: 500 }, "all");
    expect(after.data.length).toBe(before.data.length);
  });

  it("a subscriber in another process hears the events this one commits (NOTIFY on PostgreSQL, a poll on SQLite)", async () => {
    const other = await startHarness(world, testDb);
    const heard: IntentEvent[] = [];
    // A subscriber hears what other processes commit after it subscribed: its reads start at the head.
    const unsubscribe = other.service.subscribe((event) => heard.push(event));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const { intent } = await submit(vaultA, { action: "DEPOSIT", sizeExpr: String(3n * DUSD), strategyId: "xproc" });
    try {
      const done = await waitForState(h.service, intent.id, TERMINAL);
      const mine = () => heard.filter((event) => event.intent_id === intent.id).map((event) => event.seq_num);
      await waitFor(async () => mine().length === done.seq_num, "the other process to hear every event");
      expect(mine()).toEqual(mine().map((_, i) => i + 1));
    } finally {
      unsubscribe();
      await other.stop();
    }
  });

  it("subscribers hear every committed event in order", async () => {
    const heard: string[] = [];
    const unsubscribe = h.service.subscribe((event) => heard.push(`${event.intent_id}:${event.seq_num}`));
    try {
      const { intent } = await submit(vaultA, { action: "DEPOSIT", sizeExpr: String(5n * DUSD), strategyId: "sub" });
      await waitForState(h.service, intent.id, TERMINAL);
      const events = await h.service.events(intent.id, 0, 100);
      expect(heard.filter((k) => k.startsWith(intent.id))).toEqual(events.map((e) => `${intent.id}:${e.seq_num}`));
    } finally {
      unsubscribe();
    }
  });
});
