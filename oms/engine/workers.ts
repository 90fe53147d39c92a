import { randomUUID } from "node:crypto";
import type { IntentRecord } from "../domain/record";
import { claimDueIntents, releaseIntent } from "../store/leases-repo";
import type { EngineDeps } from "./deps";
import { driveIntent } from "./drive";

/** Drives one claimed intent and releases it with its next due time. */
async function driveAndRelease(deps: EngineDeps, intent: IntentRecord, owner: string): Promise<void> {
  const { delayMs, isTerminal } = await driveIntent(deps, intent);
  // A terminal intent's last write already cleared its lease; it is never claimed again.
  if (!isTerminal) await releaseIntent(deps.db, intent.id, owner, new Date(deps.clock.now().getTime() + delayMs));
}

/**
 * One round: claim what is due, drive each claimed intent, release it with its next due time. Tests use it to
 * decide exactly what happens between rounds; running workers (`startWorkers`) refill as drives finish instead.
 */
export async function workOnce(deps: EngineDeps, owner: string, leaseMs: number, batchSize: number): Promise<number> {
  const claimed = await claimDueIntents(deps.db, owner, deps.clock.now(), leaseMs, batchSize);
  await Promise.all(claimed.map((intent) => driveAndRelease(deps, intent, owner)));
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
 *
 * Each worker keeps up to `batchSize` drives in flight and claims again as soon as one finishes, rather than
 * waiting for its whole batch: a slow drive (planning, signing) holds one slot, not the receipt checks of every
 * other intent due meanwhile. Drives that finish in the same turn of the event loop share one claim.
 */
export function startWorkers(deps: EngineDeps, options: WorkerOptions): Workers {
  const pollIntervalMs = options.pollIntervalMs ?? 200;
  const leaseMs = options.leaseMs ?? 30_000;
  const batchSize = options.batchSize ?? 16;
  let isStopping = false;
  /** Every loop's current pause: `wake()` and `stop()` end them all. */
  const wakers = new Set<() => void>();
  const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

  async function loop(): Promise<void> {
    const owner = `worker-${randomUUID()}`;
    const inFlight = new Set<Promise<void>>();
    /** This loop's pause, also ended by one of its drives finishing (a slot is free). */
    let pausing: (() => void) | null = null;
    const pause = (ms: number) =>
      new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          wakers.delete(done);
          if (pausing === done) pausing = null;
          resolve();
        };
        const timer = setTimeout(done, ms);
        wakers.add(done);
        pausing = done;
      });
    const start = (intent: IntentRecord): void => {
      const drive: Promise<void> = driveAndRelease(deps, intent, owner)
        .catch((error: unknown) => {
          // The lease stays until it expires; the intent is claimed again then.
          deps.log.error("worker drive error", {
            intent_id: intent.id,
            error: error instanceof Error ? error.message : String(error),
          });
        })
        .finally(() => {
          inFlight.delete(drive);
          pausing?.();
        });
      inFlight.add(drive);
    };

    while (!isStopping) {
      const free = batchSize - inFlight.size;
      let claimedCount = 0;
      if (free > 0) {
        try {
          const claimed = await claimDueIntents(deps.db, owner, deps.clock.now(), leaseMs, free);
          claimedCount = claimed.length;
          for (const intent of claimed) start(intent);
        } catch (error) {
          deps.log.error("worker loop error", { error: error instanceof Error ? error.message : String(error) });
          await pause(deps.config.errorBackoffMs);
          continue;
        }
      }
      // Every free slot filled: more may be due; otherwise wait for a slot to free, a wake, or the next poll.
      if (free === 0 || claimedCount < free) await pause(pollIntervalMs);
      // Drives that finish in the same turn share the next claim.
      await nextTurn();
    }
    await Promise.all(inFlight);
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
