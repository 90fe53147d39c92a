import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isTerminalState } from "../../lib/defix";
import { createIntentService, type IntentCore } from "../core/intent-service";
import type { Clock } from "../domain/clock";
import { replay } from "../domain/projector";
import { submission } from "../domain/test-support/intents";
import { DomainError } from "../kernel/errors";
import { createOmsDb } from "../migrations";
import type { Db } from "../store/db";
import { listEvents } from "../store/events-repo";
import { getIntent } from "../store/intents-repo";
import { claimDueIntents } from "../store/leases-repo";
import { FakeChain } from "./test-support/fake-chain";
import { fakeManifest, switchableKeys } from "./test-support/fake-world";
import { workOnce } from "./workers";

const manifest = fakeManifest();
const vault = manifest.vaults[0] ?? (undefined as never);
const LEASE_MS = 5_000;

interface Real {
  db: Db;
  chain: FakeChain;
  keys: ReturnType<typeof switchableKeys>;
  clock: Clock & { t: number };
  service: IntentCore;
  ids: string[];
  terminal: Map<string, { state: string; seq: number }>;
}
type Model = Record<string, never>;
type Cmd = fc.AsyncCommand<Model, Real>;

const newService = (real: Pick<Real, "db" | "chain" | "keys" | "clock">) =>
  createIntentService({
    db: real.db.db,
    chain: real.chain,
    manifest,
    keys: real.keys,
    clock: real.clock,
    foreignEventPollMs: null,
    engine: {
      waitRetryMs: 500,
      receiptPollMs: 200,
      replaceAfterBlocks: 2,
      replaceAfterMs: 2_000,
      errorBackoffMs: 300,
      maxReplacements: 3,
    },
  });

const step = (real: Real, owner: string) => workOnce(real.service.engine, owner, LEASE_MS, 50);

/** Every invariant the lifecycle promises, checked against the database and the fake chain. */
async function checkInvariants(real: Real): Promise<void> {
  const db = real.db.db;
  const attempts = await db.selectFrom("tx_attempts").selectAll().execute();
  const minedHashes = new Set(real.chain.mined.keys());
  for (const id of real.ids) {
    const events = await listEvents(db, id, 0, 10_000);
    expect(events.map((e) => e.seq_num)).toEqual(events.map((_, i) => i + 1));
    const stored = await getIntent(db, id);
    expect(stored).toEqual(replay(events));
    if (stored === null) throw new Error("missing intent");
    const seen = real.terminal.get(id);
    if (seen !== undefined) expect({ state: stored.state, seq: stored.seq_num }).toEqual(seen);
    else if (isTerminalState(stored.state)) real.terminal.set(id, { state: stored.state, seq: stored.seq_num });
    const own = attempts.filter((a) => a.intent_id === id);
    const mined = own.filter((a) => minedHashes.has(a.tx_hash as `0x${string}`));
    expect(mined.length).toBeLessThanOrEqual(1);
    if (["CANCELED", "ABORTED", "EXPIRED"].includes(stored.state)) expect(own).toEqual([]);
    if (stored.state === "COMPLETED") expect(mined).toHaveLength(1);
    expect(new Set(own.map((a) => a.nonce)).size).toBeLessThanOrEqual(1);
  }
  const nonces = [...new Set(attempts.map((a) => a.nonce))].sort((a, b) => a - b);
  expect(nonces).toEqual(nonces.map((_, i) => i));
  const recorded = new Set(attempts.map((a) => a.tx_hash));
  for (const hash of minedHashes) expect(recorded.has(hash)).toBe(true);
}

const command = (name: string, run: (real: Real) => Promise<void>): Cmd => ({
  check: () => true,
  async run(_model, real) {
    await run(real);
    await checkInvariants(real);
  },
  toString: () => name,
});

const submitCmd = (variant: number, ttlSeconds: number) =>
  command(`submit(${variant}, ${ttlSeconds}s)`, async (real) => {
    const input = submission(manifest, vault, {
      action: "DEPOSIT",
      sizeExpr: String(1000 + variant),
      strategyId: `s${variant}`,
      ttlSeconds,
    });
    const { intent, created } = await real.service.submit(input, { subject: "model", kind: "service" });
    if (created) real.ids.push(intent.id);
    else expect(real.ids).toContain(intent.id);
    const live = await real.db.db
      .selectFrom("intents")
      .select("id")
      .where("config_hash", "=", intent.config_hash)
      .where("active", "=", 1)
      .execute();
    expect(live.length).toBeLessThanOrEqual(1);
  });

const cancelCmd = (pick: number) =>
  command(`cancel(${pick})`, async (real) => {
    const id = real.ids[pick % Math.max(real.ids.length, 1)];
    if (id === undefined) return;
    const before = await real.service.get(id);
    const outcome = await real.service.cancel(id, { subject: "model", kind: "user" }).then(
      (intent) => intent.state,
      (error: unknown) => (error instanceof DomainError ? error.code : String(error)),
    );
    if (before === null) throw new Error("missing");
    const expected = isTerminalState(before.state)
      ? "INTENT_TERMINAL"
      : before.state === "EXECUTING"
        ? "INTENT_EXECUTING"
        : "CANCELED";
    expect(outcome).toBe(expected);
  });

const submitArb = fc
  .tuple(fc.integer({ min: 0, max: 3 }), fc.constantFrom(2, 30, 600))
  .map(([v, ttl]) => submitCmd(v, ttl));
const stepArb = fc.constant(command("step", (real) => step(real, "w1").then(() => undefined)));
const mineArb = fc.constant(command("mine", async (real) => real.chain.mine()));

// Submits, steps and mining are repeated so that most runs have several intents reaching the chain.
const commands = [
  submitArb,
  submitArb,
  submitArb,
  stepArb,
  stepArb,
  mineArb,
  fc.nat(20).map(cancelCmd),
  fc.constant(
    command("two workers at once", async (real) => {
      await Promise.all([step(real, "w1"), step(real, "w2")]);
    }),
  ),
  fc.nat(20).map((pick) =>
    command(`cancel(${pick}) racing a step`, async (real) => {
      const id = real.ids[pick % Math.max(real.ids.length, 1)];
      const cancel = id === undefined ? Promise.resolve() : real.service.cancel(id, { subject: "m", kind: "user" });
      await Promise.all([
        cancel.catch((error: unknown) => expect(error).toBeInstanceOf(DomainError)),
        step(real, "w3"),
      ]);
    }),
  ),
  fc.integer({ min: 100, max: 4_000 }).map((ms) =>
    command(`advance ${ms}ms`, async (real) => {
      real.clock.t += ms;
    }),
  ),
  fc.constant(
    command("toggle key", async (real) => {
      real.keys.isReady = !real.keys.isReady;
    }),
  ),
  fc.constant(
    command("node loses its mempool", async (real) => {
      real.chain.pool.clear();
    }),
  ),
  fc.constant(
    command("crash before next broadcast", async (real) => {
      real.chain.crashNextSend = true;
    }),
  ),
  fc.boolean().map((holdLeases) =>
    command(`restart (dead process holds leases: ${holdLeases})`, async (real) => {
      if (holdLeases) await claimDueIntents(real.db.db, "dead-process", real.clock.now(), LEASE_MS, 50);
      await real.service.close();
      real.service = newService(real);
    }),
  ),
];

describe("intent lifecycle model", () => {
  it("keeps its invariants under random submit/cancel/step/mine/crash sequences, and always finishes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 50, size: "+1" }), async (cmds) => {
        const db = await createOmsDb({ sqlitePath: ":memory:" });
        const chain = new FakeChain(vault.merkle.root, manifest.contracts.hooks.deposit4626);
        const keys = switchableKeys();
        const clock = { t: Date.UTC(2026, 0, 1), now: () => new Date(clock.t) };
        const real: Real = {
          db,
          chain,
          keys,
          clock,
          service: newService({ db, chain, keys, clock }),
          ids: [],
          terminal: new Map(),
        };
        try {
          await fc.asyncModelRun(() => ({ model: {}, real }), cmds);
          // Liveness: with a key, mining and time, every intent reaches a terminal state.
          keys.isReady = true;
          chain.crashNextSend = false;
          for (let round = 0; round < 60; round++) {
            await step(real, "drain");
            chain.mine();
            clock.t += 1_000;
          }
          await checkInvariants(real);
          for (const id of real.ids)
            expect(isTerminalState((await getIntent(db.db, id))?.state ?? "RECEIVED")).toBe(true);
        } finally {
          await real.service.close();
          await db.close();
        }
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});
