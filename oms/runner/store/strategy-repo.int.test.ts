import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Kysely, sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScratchDatabase, POSTGRES_ADMIN_URL, type ScratchDatabase } from "../../../test/postgres";
import { openDatabase } from "../../kernel/database";
import { runMigrations } from "../../kernel/migrate";
import { seedsFromManifest } from "../seed";
import { fakeManifest, VAULT_ID } from "../test-support/fakes";
import { createRunnerDb, RUNNER_MIGRATIONS_TABLE, type RunnerDb } from "./db";
import { runnerMigrations } from "./migrations";
import { OpenIntentRepository } from "./open-intents-repo";
import type { RunnerDatabase } from "./schema";
import { StrategyRepository } from "./strategy-repo";

// The same repository behaviour on both stores the runner supports.
describe.each(["sqlite", "postgres"] as const)("runner store on %s", (dialect) => {
  let dir: string;
  let scratch: ScratchDatabase | undefined;
  let store: RunnerDb;
  let repo: StrategyRepository;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "runner-store-"));
    scratch = dialect === "postgres" ? await createScratchDatabase("runner_test") : undefined;
    store = await createRunnerDb({ databaseUrl: scratch?.url, sqlitePath: path.join(dir, "runner.sqlite") });
    // Migrating an up-to-date store again changes nothing (every runner start does it).
    await runMigrations(store.db as Kysely<unknown>, store.dialect, runnerMigrations, RUNNER_MIGRATIONS_TABLE);
    repo = new StrategyRepository(store.db);
  });

  afterAll(async () => {
    await store?.close();
    await scratch?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it.runIf(dialect === "postgres")(
    "survives its session being killed between statements, and reconnects (the pool has the OMS's listeners)",
    async () => {
      await store.db.connection().execute(async (connection) => {
        await sql`select 1`.execute(connection);
        await terminateSessions(scratch!.name);
        // The held client learns of it here, outside any query: unhandled, that error ends the process.
        await new Promise((resolve) => setTimeout(resolve, 300));
      });
      expect(await repo.list(VAULT_ID)).toEqual(expect.any(Array));
    },
  );

  it("follows each strategy's open intents: tracked, updated in place, forgotten once ended", async () => {
    const open = new OpenIntentRepository(store.db);
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    await open.track({ intentId: a, strategyId: "s-1", state: "RECEIVED", isApprovalPending: false });
    await open.track({ intentId: b, strategyId: "s-1", state: "RECEIVED", isApprovalPending: false });
    await open.track({ intentId: c, strategyId: "s-2", state: "EXECUTING", isApprovalPending: false });
    await open.track({ intentId: a, strategyId: "s-1", state: "RECEIVED", isApprovalPending: true });
    await open.forget(b);
    const grouped = await open.byStrategy();
    expect(grouped.get("s-1")).toEqual([
      { intentId: a, strategyId: "s-1", state: "RECEIVED", isApprovalPending: true },
    ]);
    expect(grouped.get("s-2")?.map((intent) => intent.state)).toEqual(["EXECUTING"]);
    await open.forget(a);
    await open.forget(c);
    expect((await open.byStrategy()).size).toBe(0);
  });

  it("seeds once: a second seed keeps states and versions", async () => {
    const seeds = seedsFromManifest(fakeManifest());
    await repo.seed(seeds, 5_000);
    const [first] = await repo.list(VAULT_ID);
    expect(await repo.setState(first!.strategy.strategy_id, "RUNNING", 0)).toMatchObject({ ok: true });
    await repo.seed(seeds, 1_000);
    const again = await repo.get(first!.strategy.strategy_id);
    expect(again?.strategy).toMatchObject({ state: "RUNNING", version: 1, tick_interval_ms: 5_000 });
    expect(await repo.list(VAULT_ID)).toHaveLength(3);
  });

  it("applies a state change only at the expected version", async () => {
    const [first] = await repo.list(VAULT_ID);
    const id = first!.strategy.strategy_id;
    const stale = await repo.setState(id, "IDLE", 0);
    expect(stale).toMatchObject({ ok: false, current: { state: "RUNNING", version: 1 } });
    expect(await repo.setState(id, "IDLE", 1)).toMatchObject({ ok: true, strategy: { state: "IDLE", version: 2 } });
  });

  it("kill switch sets every running strategy IDLE with a new version", async () => {
    const all = await repo.list(VAULT_ID);
    for (const s of all) await repo.setState(s.strategy.strategy_id, "RUNNING", s.strategy.version);
    await repo.setKillSwitch(VAULT_ID, true);
    expect(await repo.killSwitch(VAULT_ID)).toBe(true);
    const after = await repo.list(VAULT_ID);
    expect(after.every((s) => s.strategy.state === "IDLE")).toBe(true);
    await repo.setKillSwitch(VAULT_ID, false);
    expect(await repo.killSwitch(VAULT_ID)).toBe(false);
  });

  it("records runtime fields without touching state or version, and numbers submissions", async () => {
    const [first] = await repo.list(VAULT_ID);
    const id = first!.strategy.strategy_id;
    const intentId = randomUUID();
    expect(await repo.nextSeq(id)).toBe(1);
    expect(await repo.nextSeq(id)).toBe(2);
    await repo.recordTick(id, new Date("2026-01-01T00:00:00Z"), "waiting");
    await repo.recordIntent(id, intentId, "EXECUTING", null);
    const stored = await repo.get(id);
    expect(stored?.strategy).toMatchObject({
      version: first!.strategy.version,
      state: first!.strategy.state,
      last_intent_id: intentId,
      last_intent_state: "EXECUTING",
      last_tick_at: "2026-01-01T00:00:00.000Z",
      last_error: null,
    });
  });
});

async function terminateSessions(database: string): Promise<void> {
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = $1", [database]);
  } finally {
    await admin.end();
  }
}

describe("runner store upgrade", () => {
  it("carries the one intent a strategy had in flight into its open intents, and not an ended one", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "runner-upgrade-"));
    const handle = openDatabase<RunnerDatabase>({ sqlitePath: path.join(dir, "runner.sqlite"), poolSize: 1 });
    try {
      const db = handle.db as Kysely<unknown>;
      await runMigrations(db, handle.dialect, runnerMigrations.slice(0, 1), RUNNER_MIGRATIONS_TABLE);
      await new StrategyRepository(handle.db).seed(seedsFromManifest(fakeManifest()), 5_000);
      const [inFlight, ended] = await new StrategyRepository(handle.db).list(VAULT_ID);
      const [flying, done] = [randomUUID(), randomUUID()];
      await new StrategyRepository(handle.db).recordIntent(inFlight!.strategy.strategy_id, flying, "EXECUTING", null);
      await new StrategyRepository(handle.db).recordIntent(ended!.strategy.strategy_id, done, "COMPLETED", null);
      await runMigrations(db, handle.dialect, runnerMigrations, RUNNER_MIGRATIONS_TABLE);
      const open = await new OpenIntentRepository(handle.db).byStrategy();
      expect([...open.values()].flat()).toEqual([
        { intentId: flying, strategyId: inFlight!.strategy.strategy_id, state: "EXECUTING", isApprovalPending: false },
      ]);
    } finally {
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
