import type { IntentEvent } from "../../../lib/defix";
import { createIntentService, type IntentCore } from "../../core/intent-service";
import type { Clock } from "../../domain/clock";
import { pgListener } from "../../kernel/pg-listen";
import type { Db } from "../../store/db";
import { POSITION_CHANNEL } from "../../store/positions";
import type { TestDatabase } from "../../store/test-support/databases";
import type { EngineConfig } from "../deps";
import type { Workers } from "../workers";
import { memoryKeyProvider, type TestWorld } from "./world";

export const FAST_ENGINE: Partial<EngineConfig> = {
  waitRetryMs: 100,
  receiptPollMs: 50,
  errorBackoffMs: 200,
  replaceAfterBlocks: 3,
  replaceAfterMs: 5_000,
};

export interface Harness {
  db: Db;
  service: IntentCore;
  keys: ReturnType<typeof memoryKeyProvider>;
  workers: Workers | null;
  startWorkers(count?: number): Workers;
  /** Stops workers and the service (not the database): a "process" going away. */
  stop(): Promise<void>;
}

const testLog = {
  warn: () => undefined,
  error: (message: string, context?: Record<string, unknown>) => {
    if (process.env.OMS_TEST_LOG === "1") console.error(message, context);
  },
};

/** A service (one "OMS process") on the given database and chain. */
export async function startHarness(
  world: TestWorld,
  testDb: TestDatabase,
  options: { keys?: ReturnType<typeof memoryKeyProvider>; clock?: Clock; engine?: Partial<EngineConfig> } = {},
): Promise<Harness> {
  const db = await testDb.open();
  const keys = options.keys ?? memoryKeyProvider(world);
  const service = createIntentService({
    db: db.db,
    chain: world.chain,
    manifest: world.manifest,
    keys,
    clock: options.clock,
    log: testLog,
    engine: { ...FAST_ENGINE, ...options.engine },
    // PostgreSQL: woken by NOTIFY like the OMS, and no tick, so the cross-process test holds the NOTIFY
    // path alone. SQLite (one process in production) has only a poll for a second handle on its file.
    foreignEventWakeups:
      testDb.dialect === "postgres"
        ? pgListener({ connectionString: testDb.databaseUrl ?? "", channel: POSITION_CHANNEL, log: testLog })
        : undefined,
    foreignEventPollMs: testDb.dialect === "postgres" ? null : 100,
  });
  const harness: Harness = {
    db,
    service,
    keys,
    workers: null,
    startWorkers(count = 2) {
      harness.workers = service.startWorkers({ count, pollIntervalMs: 50, leaseMs: 10_000 });
      return harness.workers;
    },
    async stop() {
      await service.close();
    },
  };
  return harness;
}

export async function waitFor<T>(
  probe: () => Promise<T | null | undefined | false>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Resolves when the intent reaches `state` (any terminal state if none given). */
export function waitForState(service: IntentCore, id: string, states: readonly string[], timeoutMs?: number) {
  return waitFor(
    async () => {
      const intent = await service.get(id);
      return intent !== null && states.includes(intent.state) ? intent : null;
    },
    `intent ${id} to reach ${states.join("/")}`,
    timeoutMs,
  );
}

export const TERMINAL = ["COMPLETED", "ABORTED", "EXPIRED", "FAILED", "CANCELED"] as const;

export function messageTypes(events: readonly IntentEvent[]): string[] {
  return events.map((event) => event.message_type);
}
