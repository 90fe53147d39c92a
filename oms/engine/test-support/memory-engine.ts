import { afterEach } from "vitest";
import type { Intent } from "../../../lib/defix";
import { createIntentService, type IntentCore } from "../../core/intent-service";
import { submission } from "../../domain/test-support/intents";
import type { Logger } from "../../kernel/logger";
import { createOmsDb } from "../../migrations";
import type { Db } from "../../store/db";
import type { EngineConfig } from "../deps";
import { type Workers, workOnce } from "../workers";
import { FakeChain } from "./fake-chain";
import { fakeManifest, switchableKeys } from "./fake-world";

/**
 * The intent service on in-memory SQLite, the in-memory FakeChain, switchable keys and a clock the test
 * moves: engine rounds run one by one (`workOnce`), so a test decides exactly what happens between them.
 */
export interface MemoryEngine {
  db: Db;
  core: IntentCore;
  chain: FakeChain;
  keys: ReturnType<typeof switchableKeys>;
  clock: { t: number; now(): Date };
  /** A DEPOSIT whose size (1000 + variant) and strategy make it a distinct intent; returns its id. */
  submit(variant: number): Promise<string>;
  /** `count` rounds of one worker, moving the clock by `stepMs` after each. */
  rounds(count: number, stepMs: number, owner?: string): Promise<void>;
  close(): Promise<void>;
}

export const memoryManifest = fakeManifest();
export const memoryVault = memoryManifest.vaults[0] ?? (undefined as never);

export async function createMemoryEngine(
  engine: Partial<EngineConfig>,
  leaseMs = 1_000,
  log?: Logger,
  /** Another database (a PostgreSQL test database) instead of in-memory SQLite; closed with the engine. */
  database?: Db,
): Promise<MemoryEngine> {
  const db = database ?? (await createOmsDb({ sqlitePath: ":memory:" }));
  const chain = new FakeChain(memoryVault.merkle.root, memoryManifest.contracts.hooks.deposit4626);
  const keys = switchableKeys();
  const clock = { t: Date.UTC(2026, 0, 1), now: () => new Date(clock.t) };
  const core = createIntentService({
    db: db.db,
    chain,
    manifest: memoryManifest,
    keys,
    clock,
    foreignEventPollMs: null,
    engine,
    log,
  });
  const actor = { subject: "test", kind: "service" } as const;
  return {
    db,
    core,
    chain,
    keys,
    clock,
    async submit(variant) {
      const request = submission(memoryManifest, memoryVault, {
        action: "DEPOSIT",
        sizeExpr: String(1000 + variant),
        strategyId: `s${variant}`,
      });
      return (await core.submit(request, actor)).intent.id;
    },
    async rounds(count, stepMs, owner = "worker") {
      for (let i = 0; i < count; i++) {
        await workOnce(core.engine, owner, leaseMs, 10);
        clock.t += stepMs;
      }
    },
    async close() {
      await core.close();
      await db.close();
    },
  };
}

/**
 * For a describe block: opens memory engines (as `createMemoryEngine`) and closes each one after the test that
 * opened it, whether the test passed or not.
 */
export function memoryEngines(): (...args: Parameters<typeof createMemoryEngine>) => Promise<MemoryEngine> {
  const open: MemoryEngine[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((engine) => engine.close()));
  });
  return async (...args) => {
    const engine = await createMemoryEngine(...args);
    open.push(engine);
    return engine;
  };
}

/**
 * Makes the fake chain's `method` wait, at each call `isHeld` picks (numbered from 1), until `release()`: a node
 * that does not answer a simulation or a fee quote, or a send that holds its signer's lane. Counts the calls and the held ones.
 */
export function holdChainCalls<M extends "simulate" | "fees" | "sendRaw">(
  chain: FakeChain,
  method: M,
  isHeld: (call: number) => boolean,
): { calls: () => number; held: () => number; release: () => void } {
  const original = chain[method].bind(chain) as (...args: Parameters<FakeChain[M]>) => ReturnType<FakeChain[M]>;
  let calls = 0;
  let held = 0;
  let release = (): void => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  const wrapped = async (...args: Parameters<FakeChain[M]>) => {
    calls += 1;
    if (isHeld(calls)) {
      held += 1;
      await released;
    }
    return original(...args);
  };
  chain[method] = wrapped as unknown as FakeChain[M];
  return { calls: () => calls, held: () => held, release: () => release() };
}

type ChainHold = ReturnType<typeof holdChainCalls>;

export interface DrivenEngine<Holds extends Record<string, ChainHold>> extends MemoryEngine {
  /** The intent (variant 1) submitted before the workers started. */
  first: string;
  holds: Holds;
  workers: Workers;
  state(id: string): Promise<Intent["state"] | undefined>;
  /** Releases every hold, then stops the workers (which finish the drives in flight, so the holds go first). */
  stop(): Promise<void>;
}

/**
 * For a describe block: memory engines (as `memoryEngines`) driven by running workers rather than round by round.
 * Each one holds the chain calls `holds` makes wait (`holdChainCalls`) from the start, has one intent submitted,
 * then starts one worker that polls every `pollIntervalMs` (5). Receipt checks and waits retry at once (`receiptPollMs`
 * and `waitRetryMs` 0) unless `engine` says otherwise. The test calls `stop()` in its `finally`.
 */
export function drivenEngines(): <Holds extends Record<string, ChainHold>>(options: {
  holds: (chain: FakeChain) => Holds;
  engine?: Partial<EngineConfig>;
  batchSize?: number;
  pollIntervalMs?: number;
}) => Promise<DrivenEngine<Holds>> {
  const openEngine = memoryEngines();
  return async ({ holds: holdCalls, engine: config, batchSize = 4, pollIntervalMs = 5 }) => {
    const engine = await openEngine({ receiptPollMs: 0, waitRetryMs: 0, ...config });
    const { core } = engine;
    const holds = holdCalls(engine.chain);
    const first = await engine.submit(1);
    const workers = core.startWorkers({ count: 1, pollIntervalMs, batchSize });
    return {
      ...engine,
      first,
      holds,
      workers,
      state: async (id) => (await core.get(id))?.state,
      async stop() {
        for (const hold of Object.values(holds)) hold.release();
        await workers.stop();
      },
    };
  };
}

/**
 * Polls `check` every few milliseconds, moving the engine's clock 100 ms each time (its cached chain head and
 * receipt checks age by that clock), until it holds; fails after `timeoutMs` of real time.
 */
export async function until(clock: { t: number }, check: () => Promise<boolean>, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    clock.t += 100;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
