import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_REFINEMENTS_PER_SUBJECT, type Refinement } from "../../lib/defix/refinements";
import type { ManifestVault } from "../../lib/deployment/manifest";
import { type IntentSpec, submission } from "../domain/test-support/intents";
import { type Harness, startHarness, TERMINAL, waitForState } from "../engine/test-support/harness";
import { grantSessionKey, startTestWorld, type TestWorld } from "../engine/test-support/world";
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

/** A clock the test moves forward (refinement expiry). */
function steppedClock() {
  let offsetMs = 0;
  return { now: () => new Date(Date.now() + offsetMs), advance: (ms: number) => (offsetMs += ms) };
}

async function refusal(work: Promise<unknown>): Promise<DomainError> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(error)}`);
  return error;
}

describe.each(DIALECTS)("refinement on %s", (dialect) => {
  let testDb: TestDatabase;
  let h: Harness;
  let vaultA: ManifestVault;
  let vaultB: ManifestVault;
  let keyAddress: `0x${string}`;

  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
    h = await startHarness(world, testDb);
    [vaultA, vaultB] = world.manifest.vaults as [ManifestVault, ManifestVault];
    const key = await grantSessionKey(world, vaultA);
    keyAddress = key.address;
    h.keys.set(vaultA.vault_id, key);
    h.startWorkers(2);
  });
  afterAll(async () => {
    await h?.stop();
    await testDb?.destroy();
  });

  const intentOf = (vault: ManifestVault, spec: IntentSpec) => submission(world.manifest, vault, spec);
  const countIntents = async () =>
    Number(
      (
        await h.db.db
          .selectFrom("intents")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );

  /** Refines, submits with the refinement, and checks the execution did exactly what was refined. */
  async function refineThenExecute(vault: ManifestVault, spec: IntentSpec): Promise<Refinement> {
    const input = intentOf(vault, spec);
    const refinement = await h.service.refine(input, actor);
    expect(refinement.outcome).toBe("PLANNED");
    expect(refinement.error).toBeNull();
    const { intent, created } = await h.service.submit(input, actor, { refinementId: refinement.refinement_id });
    expect(created).toBe(true);
    const done = await waitForState(h.service, intent.id, TERMINAL, 30_000);
    expect(done.state).toBe("COMPLETED");
    const events = await h.service.events(intent.id, 0, 100);
    const planned = events.find((event) => event.message_type === "INTENT_PLANNED");
    expect(planned?.payload).toEqual({ plan: refinement.plan });
    const fills = await h.service.fills(intent.id);
    expect(fills).toHaveLength(refinement.calls.length);
    refinement.calls.forEach((call, i) => {
      const fill = fills[i];
      if (call.amount !== null && call.kind === "deposit") expect(fill?.amount_in).toBe(call.amount);
      expect(BigInt(fill?.amount_out ?? "0")).toBeGreaterThanOrEqual(BigInt(call.min_output));
      // Nothing moved in between, so the chain paid out exactly what the simulation said.
      expect(fill?.amount_out).toBe(call.simulated_output);
    });
    expect(done.gas_used).toBeLessThanOrEqual(Number(refinement.gas?.limit));
    expect((await h.service.refinement(refinement.refinement_id))?.intent_id).toBe(intent.id);
    return refinement;
  }

  it("refining stores no intent, signs nothing and sends nothing, and says what it would do", async () => {
    const intentsBefore = await countIntents();
    const blockBefore = await world.client.getBlockNumber();
    const nonceBefore = await world.client.getTransactionCount({ address: keyAddress });
    const refinement = await h.service.refine(
      intentOf(vaultA, { action: "DEPOSIT", sizeExpr: "vault_free_assets / 100", source: 0 }),
      actor,
    );
    expect(await countIntents()).toBe(intentsBefore);
    expect(await world.client.getBlockNumber()).toBe(blockBefore);
    expect(await world.client.getTransactionCount({ address: keyAddress })).toBe(nonceBefore);
    expect(await h.db.db.selectFrom("tx_attempts").selectAll().execute()).toEqual([]);
    const free = BigInt(refinement.vault_state?.vault_free_assets ?? "0");
    expect(refinement).toMatchObject({
      outcome: "PLANNED",
      block_number: Number(blockBefore),
      size: String(free / 100n),
      to: world.manifest.contracts.executor,
      signer: { account_mode: "OMS", session_key_address: keyAddress.toLowerCase(), is_ready: true },
      calls: [
        {
          index: 0,
          kind: "deposit",
          hook_name: "Deposit4626Hook",
          yield_source: world.manifest.contracts.yield_sources[0]?.address,
          yield_source_symbol: world.manifest.contracts.yield_sources[0]?.symbol,
          amount: String(free / 100n),
        },
      ],
    });
    expect(refinement.calldata).toMatch(/^0x[0-9a-f]+$/);
    expect(BigInt(refinement.gas?.estimate ?? "0")).toBeGreaterThan(0n);
    expect(Number(refinement.gas?.cost_eth)).toBeGreaterThan(0);
    const status = await h.service.refinement(refinement.refinement_id);
    expect(status?.freshness).toMatchObject({ is_fresh: true, is_expired: false, changed: [] });
  });

  it("DEPOSIT refined then submitted with refinement_id executes exactly the refined plan", async () => {
    await refineThenExecute(vaultA, { action: "DEPOSIT", sizeExpr: String(200n * DUSD), source: 0 });
  });

  it("WITHDRAWAL refined then executed matches the refinement", async () => {
    await refineThenExecute(vaultA, { action: "WITHDRAWAL", sizeExpr: "position_assets / 4", source: 0 });
  });

  it("REBALANCE refined then executed matches the refinement (two hooks, the second takes the first's output)", async () => {
    const refinement = await refineThenExecute(vaultA, {
      action: "REBALANCE",
      sizeExpr: "position_assets / 4",
      source: 0,
      toSource: 1,
    });
    expect(refinement.calls.map((call) => [call.kind, call.amount === null])).toEqual([
      ["redeem", false],
      ["deposit", true],
    ]);
  });

  it("a vault state change makes the refinement stale: status says what moved and submit refuses", async () => {
    const input = intentOf(vaultA, { action: "DEPOSIT", sizeExpr: "vault_free_assets / 10", source: 1 });
    const refinement = await h.service.refine(input, actor);
    const other = await h.service.submit(
      intentOf(vaultA, { action: "DEPOSIT", sizeExpr: String(500n * DUSD), source: 2, strategyId: "mover" }),
      actor,
    );
    expect((await waitForState(h.service, other.intent.id, TERMINAL)).state).toBe("COMPLETED");
    const status = await h.service.refinement(refinement.refinement_id);
    expect(status?.freshness.is_fresh).toBe(false);
    expect(status?.freshness.changed.map((change) => change.field)).toContain("vault_free_assets");
    const intentsBefore = await countIntents();
    const error = await refusal(h.service.submit(input, actor, { refinementId: refinement.refinement_id }));
    expect(error.code).toBe("REFINEMENT_STALE");
    expect(error.status).toBe(409);
    expect(await countIntents()).toBe(intentsBefore);
    // Without a refinement the same submit behaves as before: planned afresh, executed.
    const { intent } = await h.service.submit(input, actor);
    expect((await waitForState(h.service, intent.id, TERMINAL)).state).toBe("COMPLETED");
  });

  it("a reverting plan carries the typed error, hint and decoded revert an execution gets", async () => {
    // Vault B has no session key in this harness: the executor refuses the simulated call.
    const noKey = await h.service.refine(intentOf(vaultB, { action: "DEPOSIT", sizeExpr: "1000", source: 0 }), actor);
    expect(noKey).toMatchObject({
      outcome: "FAILED",
      plan: null,
      gas: null,
      signer: { is_ready: false },
      error: { code: "SESSION_KEY_NOT_READY", title: "No valid session key", revert: { name: "InvalidSessionKey" } },
    });
    expect(noKey.calldata).not.toBeNull();
    // Redeeming far more than the position reverts in the yield source.
    const huge = intentOf(vaultA, { action: "WITHDRAWAL", sizeExpr: String(10n ** 15n * DUSD), source: 2 });
    const refinement = await h.service.refine(huge, actor);
    expect(refinement.outcome).toBe("FAILED");
    expect(refinement.error?.code).toBe("SIMULATION_REVERTED");
    expect(refinement.error?.revert?.name).toMatch(/\w+/);
    expect(refinement.error?.hint).toContain("dry run");
    const refused = await refusal(h.service.submit(huge, actor, { refinementId: refinement.refinement_id }));
    expect(refused.code).toBe("VALIDATION_FAILED");
    const { intent } = await h.service.submit(huge, actor);
    const ended = await waitForState(h.service, intent.id, TERMINAL);
    expect(ended).toMatchObject({ state: "FAILED", error: { code: refinement.error?.code } });
    expect(ended.error?.message).toContain(refinement.error?.revert?.name);
  });

  it("refinements expire, are bounded per caller, and a refinement is used once", async () => {
    const clock = steppedClock();
    const stepped = await startHarness(world, testDb, { keys: h.keys, clock });
    try {
      const caller: Actor = { subject: "0x00000000000000000000000000000000000000b2", kind: "user" };
      const input = intentOf(vaultA, { action: "DEPOSIT", sizeExpr: "1000", source: 0, strategyId: "bounds" });
      const first = await stepped.service.refine(input, caller);
      // A wrong root is refused like ACKED would: cheap, and the rest of the budget.
      const wrongRoot = { ...input, auth_signing: { ...input.auth_signing, root: `0x${"11".repeat(32)}` as const } };
      const rest = [];
      for (let i = 1; i < MAX_REFINEMENTS_PER_SUBJECT; i++) rest.push(await stepped.service.refine(wrongRoot, caller));
      expect(rest[0]?.error?.code).toBe("MERKLE_ROOT_MISMATCH");
      expect(rest[0]?.outcome).toBe("ABORTED");
      const full = await refusal(stepped.service.refine(input, caller));
      expect(full.code).toBe("TOO_MANY_REFINEMENTS");
      expect(full.status).toBe(429);
      // Another caller has its own budget.
      expect((await stepped.service.refine(input, actor)).outcome).toBe("PLANNED");

      clock.advance(11 * 60_000);
      expect((await stepped.service.refinement(first.refinement_id))?.freshness.is_expired).toBe(true);
      const expired = await refusal(stepped.service.submit(input, caller, { refinementId: first.refinement_id }));
      expect(expired.code).toBe("REFINEMENT_STALE");
      const again = await stepped.service.refine(input, caller);
      expect(again.outcome).toBe("PLANNED");
      const used = await stepped.service.submit(input, caller, { refinementId: again.refinement_id });
      expect(used.created).toBe(true);
      // The same refined submit again answers the intent it created.
      const retry = await stepped.service.submit(input, caller, { refinementId: again.refinement_id });
      expect(retry).toMatchObject({ created: false, intent: { id: used.intent.id } });
      const otherIntent = { ...input, strategy_id: "other" };
      const mismatch = await refusal(
        stepped.service.submit(otherIntent, caller, { refinementId: again.refinement_id }),
      );
      expect(mismatch.code).toBe("VALIDATION_FAILED");
      // Its clock runs ahead of the workers': end it here rather than leave it to them.
      await stepped.service.cancel(used.intent.id, caller);
    } finally {
      await stepped.stop();
    }
  });
});
