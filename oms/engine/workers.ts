import { randomUUID } from "node:crypto";
import type { IntentRecord } from "../domain/record";
import { claimDueIntents, type Lane, laneOf, releaseIntent } from "../store/leases-repo";
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
  /** Intents one worker drives concurrently for new work; half as many more for tracking (`Lane`). */
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
 *
 * Its slots are in two lanes, claimed for together in one statement: `batchSize` for every state but EXECUTING, and
 * half as many for intents whose transaction is out (EXECUTING: a short receipt check; more slots than that cost the
 * engine bench throughput). New intents arriving faster than the signer's nonce lane signs them fill the first lane
 * with drives that wait; a mined transaction's intent still completes at its next check, not after them
 * (`npm run bench -- browser-latency`: it had waited ~2 s for a slot at 10 intents/s).
 */
export function startWorkers(deps: EngineDeps, options: WorkerOptions): Workers {
  const pollIntervalMs = options.pollIntervalMs ?? 200;
  const leaseMs = options.leaseMs ?? 30_000;
  const batchSize = options.batchSize ?? 16;
  /** Receipt checks are short: fewer slots serve them. */
  const trackingSlots = Math.max(1, Math.ceil(batchSize / 2));
  let isStopping = false;
  /** Every loop's current pause: `wake()` and `stop()` end them all. */
  const wakers = new Set<() => void>();
  const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

  async function loop(): Promise<void> {
    const owner = `worker-${randomUUID()}`;
    const inFlight: Record<Lane, Set<Promise<void>>> = { tracking: new Set(), progress: new Set() };
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
      const slots = inFlight[laneOf(intent)];
      const drive: Promise<void> = driveAndRelease(deps, intent, owner)
        .catch((error: unknown) => {
          // The lease stays until it expires; the intent is claimed again then.
          deps.log.error("worker drive error", {
            intent_id: intent.id,
            error: error instanceof Error ? error.message : String(error),
          });
        })
        .finally(() => {
          slots.delete(drive);
          pausing?.();
        });
      slots.add(drive);
    };

    while (!isStopping) {
      const free = { tracking: trackingSlots - inFlight.tracking.size, progress: batchSize - inFlight.progress.size };
      let claimed: IntentRecord[] = [];
      try {
        claimed = await claimDueIntents(deps.db, owner, deps.clock.now(), leaseMs, free);
        for (const intent of claimed) start(intent);
      } catch (error) {
        deps.log.error("worker loop error", { error: error instanceof Error ? error.message : String(error) });
        await pause(deps.config.errorBackoffMs);
        continue;
      }
      // A lane whose free slots were all filled may have more due; otherwise wait for a slot to free, a wake, or
      // the next poll.
      const isLaneFilled = (lane: Lane) =>
        free[lane] > 0 && claimed.filter((intent) => laneOf(intent) === lane).length >= free[lane];
      if (!isLaneFilled("tracking") && !isLaneFilled("progress")) await pause(pollIntervalMs);
      // Drives that finish in the same turn share the next claim.
      await nextTurn();
    }
    await Promise.all([...inFlight.tracking, ...inFlight.progress]);
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
