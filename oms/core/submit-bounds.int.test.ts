import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../domain/clock";
import { type IntentSpec, submission } from "../domain/test-support/intents";
import { FakeChain } from "../engine/test-support/fake-chain";
import { fakeManifest, switchableKeys } from "../engine/test-support/fake-world";
import { DomainError } from "../kernel/errors";
import type { Db } from "../store/db";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../store/test-support/databases";
import { type Actor, createIntentService, type IntentCore } from "./intent-service";
import { submitIntent } from "./submit";

const base = fakeManifest();
const vault = base.vaults[0] ?? (undefined as never);
const OTHER = `0x${"ab".repeat(20)}` as const;
const otherVault = { ...vault, vault_id: `31337:${OTHER}`, address: OTHER, strategy: OTHER };
const manifest = { ...base, vaults: [vault, otherVault] };
const actor: Actor = { subject: "svc:test", kind: "service" };
const MAX_IN_FLIGHT = 5;

const deposit = (variant: number, spec: Partial<IntentSpec> = {}, target = vault) =>
  submission(manifest, target, { action: "DEPOSIT", sizeExpr: String(1000 + variant), ...spec });

async function refusal(promise: Promise<unknown>): Promise<{ code: string; status: number }> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(error)}`);
  return { code: error.code, status: error.status };
}

describe.each(DIALECTS)("submit bounds on %s", (dialect) => {
  let testDb: TestDatabase;
  let db: Db;
  let core: IntentCore;
  const rowCount = async () =>
    Number(
      (
        await db.db
          .selectFrom("intents")
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
    db = await testDb.open();
    core = createIntentService({
      db: db.db,
      chain: new FakeChain(vault.merkle.root, manifest.contracts.hooks.deposit4626),
      manifest,
      keys: switchableKeys(),
      foreignEventPollMs: null,
      limits: { maxInFlightPerVault: MAX_IN_FLIGHT, maxDeadlineSeconds: 3_600, maxSlippageBps: 500 },
    });
  });
  afterAll(async () => {
    await core?.close();
    await testDb?.destroy();
  });

  it("refuses a slippage bound above the limit with SLIPPAGE_TOO_HIGH and stores nothing", async () => {
    const before = await rowCount();
    expect(await refusal(core.submit(deposit(1, { slippageBps: 10_000 }), actor))).toEqual({
      code: "SLIPPAGE_TOO_HIGH",
      status: 400,
    });
    expect(await rowCount()).toBe(before);
  });

  it("refuses a deadline or ttl beyond the limit with DEADLINE_TOO_FAR and stores nothing", async () => {
    const before = await rowCount();
    expect(await refusal(core.submit(deposit(2, { ttlSeconds: 3_601 }), actor))).toEqual({
      code: "DEADLINE_TOO_FAR",
      status: 400,
    });
    const { ttl_seconds: _ttl, ...withoutTtl } = deposit(3);
    const farDeadline = new Date(Date.now() + 2 * 3_600_000).toISOString();
    expect(await refusal(core.submit({ ...withoutTtl, deadline: farDeadline }, actor))).toEqual({
      code: "DEADLINE_TOO_FAR",
      status: 400,
    });
    expect(await rowCount()).toBe(before);
  });

  it("accepts intents inside every bound", async () => {
    const { created } = await core.submit(deposit(4, { slippageBps: 500, ttlSeconds: 3_600 }), actor);
    expect(created).toBe(true);
  });

  it("holds a vault to its in-flight bound under concurrent submits, still answering a live resubmit", async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) => core.submit(deposit(100 + i), actor)),
    );
    const live = await db.db
      .selectFrom("intents")
      .select((eb) => eb.fn.countAll().as("n"))
      .where("vault_id", "=", vault.vault_id)
      .where("active", "=", 1)
      .executeTakeFirstOrThrow();
    expect(Number(live.n)).toBe(MAX_IN_FLIGHT);
    const refused = results.flatMap((result) =>
      result.status === "rejected" && result.reason instanceof DomainError ? [result.reason] : [],
    );
    expect(refused).toHaveLength(30 - (MAX_IN_FLIGHT - 1));
    for (const error of refused)
      expect({ code: error.code, status: error.status }).toEqual({
        code: "TOO_MANY_IN_FLIGHT",
        status: 429,
      });

    // Idempotency still answers: the same submission returns the live intent, not a refusal.
    const again = await core.submit(deposit(4, { slippageBps: 500, ttlSeconds: 3_600 }), actor);
    expect(again.created).toBe(false);
    // Another vault is not affected.
    expect((await core.submit(deposit(1, {}, otherVault), actor)).created).toBe(true);
  });

  it("accepts new intents again once one of the vault's intents is terminal", async () => {
    const first = await db.db
      .selectFrom("intents")
      .select("id")
      .where("vault_id", "=", vault.vault_id)
      .where("active", "=", 1)
      .executeTakeFirstOrThrow();
    await core.cancel(first.id, actor);
    expect((await core.submit(deposit(999), actor)).created).toBe(true);
    expect(await refusal(core.submit(deposit(998), actor))).toMatchObject({ code: "TOO_MANY_IN_FLIGHT" });
  });

  it("answers TOO_MANY_IN_FLIGHT, not CONFLICT, when the vault stays momentarily full through every retry", async () => {
    const limits = { maxInFlightPerVault: MAX_IN_FLIGHT, maxDeadlineSeconds: 3_600, maxSlippageBps: 500 };
    let asked = 0;
    const ctx = {
      db: db.db,
      manifest,
      limits,
      clock: systemClock,
      defaultTtlSeconds: 600,
      publish: () => undefined,
      wakeAll: () => undefined,
      // A writer whose every batch had a duplicate holding the vault's last place.
      writer: {
        create: async () => {
          asked += 1;
          return "retry" as const;
        },
      },
    };
    const error = await submitIntent(ctx, deposit(5_000, {}, otherVault), actor).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(asked).toBe(3);
    if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(error)}`);
    expect({ code: error.code, status: error.status }).toEqual({ code: "TOO_MANY_IN_FLIGHT", status: 429 });
    expect(error.message).toMatch(/momentarily/);
  });
});
