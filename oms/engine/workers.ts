import { randomUUID } from "node:crypto";
import { claimDueIntents, releaseIntent } from "../store/leases-repo";
import type { EngineDeps } from "./deps";
import { driveIntent } from "./drive";

/** One round: claim what is due, drive each claimed intent, release it with its next due time. */
export async function workOnce(deps: EngineDeps, owner: string, leaseMs: number, batchSize: number): Promise<number> {
  const claimed = await claimDueIntents(deps.db, owner, deps.clock.now(), leaseMs, batchSize);
  await Promise.all(
    claimed.map(async (intent) => {
      const { delayMs, isTerminal } = await driveIntent(deps, intent);
      // A terminal intent's last write already cleared its lease; it is never claimed again.
      if (!isTerminal) await releaseIntent(deps.db, intent.id, owner, new Date(deps.clock.now().getTime() + delayMs));
    }),
  );
  return claimed.length;
}

export interface WorkerOptions {
  count: number;
  pollIntervalMs?: number;
  /** Must comfortably exceed one step (a few RPC round trips); an expired lease lets another worker in. */
  leaseMs?: number;
  /** Intents one worker drives concurrently. */
  batchSize?: number;
}

export interface Workers {
  /** Look for work now (after a submit), instead of at the next poll. */
  wake(): void;
  /** Finishes the steps in flight, releases their leases and stops. */
  stop(): Promise<void>;
}

/**
 * Workers claim due intents with a lease (owner token + expiry) and drive them. Any number of them,
 * in this process or others sharing PostgreSQL, can run: the lease and the guarded transitions keep
 * two of them from driving the same intent.
 */
export function startWorkers(deps: EngineDeps, options: WorkerOptions): Workers {
  const pollIntervalMs = options.pollIntervalMs ?? 200;
  const leaseMs = options.leaseMs ?? 30_000;
  const batchSize = options.batchSize ?? 16;
  let isStopping = false;
  const wakers = new Set<() => void>();

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      wakers.add(done);
    });

  async function loop(): Promise<void> {
    const owner = `worker-${randomUUID()}`;
    while (!isStopping) {
      try {
        const count = await workOnce(deps, owner, leaseMs, batchSize);
        if (count === 0) await sleep(pollIntervalMs);
        else await sleep(0);
      } catch (error) {
        deps.log.error("worker loop error", { error: error instanceof Error ? error.message : String(error) });
        await sleep(deps.config.errorBackoffMs);
      }
    }
  }

  const loops = Array.from({ length: options.count }, () => loop());
  return {
    wake() {
      for (const wake of [...wakers]) wake();
    },
    async stop() {
      isStopping = true;
      for (const wake of [...wakers]) wake();
      await Promise.all(loops);
    },
  };
}
