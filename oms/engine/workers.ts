import { randomUUID } from "node:crypto";
import type { IntentRecord } from "../domain/record";
import { type DriveContext, readDriveContexts } from "../store/drive-context";
import { claimDueIntents, type Lane, type LaneLimits, laneOf, releaseIntent } from "../store/leases-repo";
import type { EngineDeps } from "./deps";
import { driveIntent } from "./drive";
import { DEFAULT_HEAD_POLL_MS } from "./receipt-watch";

/** Drives one claimed intent and releases it with its next due time: the delay (ms), null when it ended. */
async function driveAndRelease(
  deps: EngineDeps,
  intent: IntentRecord,
  owner: string,
  context: DriveContext | undefined,
): Promise<number | null> {
  const { delayMs, isTerminal } = await driveIntent(deps, intent, context);
  // A terminal intent's last write already cleared its lease; it is never claimed again.
  if (isTerminal) return null;
  await releaseIntent(deps.db, intent.id, owner, new Date(deps.clock.now().getTime() + delayMs));
  return delayMs;
}

/**
 * The claimed intents with what they were submitted under, read once for the batch (see DriveContext). The intents
 * are claimed already: if that read fails they are driven without it (their steps read it themselves).
 */
async function withContexts(
  deps: EngineDeps,
  claimed: readonly IntentRecord[],
): Promise<[IntentRecord, DriveContext | undefined][]> {
  const contexts = await readDriveContexts(deps.db, claimed).catch((error: unknown) => {
    deps.log.warn("drive contexts not read; each step reads its own", {
      error: error instanceof Error ? error.message : String(error),
    });
    return new Map<string, DriveContext>();
  });
  return claimed.map((intent) => [intent, contexts.get(intent.id)]);
}

/**
 * One round: claim what is due, drive each claimed intent, release it with its next due time. Tests use it to
 * decide exactly what happens between rounds; running workers (`startWorkers`) refill as drives finish instead.
 */
export async function workOnce(deps: EngineDeps, owner: string, leaseMs: number, batchSize: number): Promise<number> {
  const claimed = await claimDueIntents(deps.db, owner, deps.clock.now(), leaseMs, batchSize);
  const drives = await withContexts(deps, claimed);
  await Promise.all(drives.map(([intent, context]) => driveAndRelease(deps, intent, owner, context)));
  return claimed.length;
}

/** A worker's claim on an intent lasts this long unless renewed (`OMS_LEASE_MS`'s default). */
export const DEFAULT_LEASE_MS = 30_000;

export interface WorkerOptions {
  count: number;
  pollIntervalMs?: number;
  /** Must comfortably exceed one step (a few RPC round trips); an expired lease lets another worker in. */
  leaseMs?: number;
  /** Intents one worker drives concurrently for new work; half as many more for tracking (`Lane`). */
  batchSize?: number;
  /**
   * How often the chain head is read while intents wait for a block (ms; default 100): a new head claims them at
   * once, and until then they sleep to their next full check. null: no following, waiting intents poll every
   * `receiptPollMs`.
   */
  headPollMs?: number | null;
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
 * Each worker keeps up to `batchSize` drives in flight and refills as they finish, rather than waiting for its whole
 * batch: a slow drive (planning, signing) holds one slot, not the receipt checks of every other intent due meanwhile.
 * It claims when it has reason to: a wake (new work), the poll, an intent it released falling due (its own timer,
 * so a receipt check is not left to the next poll), or slots freeing in a lane whose last claim took all it could
 * (for new work: a quarter of the lane, so under load one claim refills several slots instead of one claim, a
 * round trip and a write, per finished drive). Drives that finish in the same turn of the event loop share one claim.
 *
 * Its slots are in two lanes, claimed for together in one statement: `batchSize` for every state but EXECUTING, and
 * half as many for intents whose transaction is out (EXECUTING: a short receipt check; more slots than that cost the
 * engine bench throughput). New intents arriving faster than the signer's nonce lane signs them fill the first lane
 * with drives that wait; a mined transaction's intent still completes at its next check, not after them
 * (`npm run bench -- browser-latency`: it had waited ~2 s for a slot at 10 intents/s).
 */
export function startWorkers(deps: EngineDeps, options: WorkerOptions): Workers {
  const pollIntervalMs = options.pollIntervalMs ?? 200;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const batchSize = options.batchSize ?? 16;
  /** Receipt checks are short: fewer slots serve them. */
  const trackingSlots = Math.max(1, Math.ceil(batchSize / 2));
  /** Free slots of a backlogged lane that are worth a claim: one receipt check; a quarter of the lane of new work. */
  const refillAt: LaneLimits = { tracking: 1, progress: Math.max(1, Math.floor(batchSize / 4)) };
  const lanes = ["tracking", "progress"] as const;
  let isStopping = false;
  /** Every loop's current pause: `wake()` and `stop()` end them all. */
  const wakers = new Set<() => void>();
  const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

  async function loop(): Promise<void> {
    const owner = `worker-${randomUUID()}`;
    const inFlight: Record<Lane, Set<Promise<void>>> = { tracking: new Set(), progress: new Set() };
    const freeSlots = (): LaneLimits => ({
      tracking: trackingSlots - inFlight.tracking.size,
      progress: batchSize - inFlight.progress.size,
    });
    /** Lanes whose free slots the last claim all filled: more of them may be due. */
    const backlogged: Record<Lane, boolean> = { tracking: false, progress: false };
    /** When intents this loop released fall due (ms, wall clock): its pause ends then, not at the next poll. */
    let dues: number[] = [];
    /** This loop's pause: ended by a wake, by slots freeing in a backlogged lane, or by a release falling due. */
    let pausing: { end(): void; endBy(at: number): void } | null = null;
    const pause = (ms: number) =>
      new Promise<void>((resolve) => {
        let endsAt = Date.now() + ms;
        let timer = setTimeout(() => end(), ms);
        const end = (): void => {
          clearTimeout(timer);
          wakers.delete(end);
          if (pausing === self) pausing = null;
          resolve();
        };
        const self = {
          end,
          endBy(at: number) {
            if (at >= endsAt) return;
            clearTimeout(timer);
            endsAt = at;
            timer = setTimeout(end, Math.max(0, at - Date.now()));
          },
        };
        wakers.add(end);
        pausing = self;
      });
    const start = (intent: IntentRecord, context: DriveContext | undefined): void => {
      const lane = laneOf(intent);
      const slots = inFlight[lane];
      const drive: Promise<void> = driveAndRelease(deps, intent, owner, context)
        .then((delayMs) => {
          if (delayMs === null) return;
          const due = Date.now() + delayMs;
          dues.push(due);
          pausing?.endBy(due);
        })
        .catch((error: unknown) => {
          // The lease stays until it expires; the intent is claimed again then.
          deps.log.error("worker drive error", {
            intent_id: intent.id,
            error: error instanceof Error ? error.message : String(error),
          });
        })
        .finally(() => {
          slots.delete(drive);
          // Its check read the head just before a newer one came (a tracking drive, or a new intent's drive that went on
          // to its first receipt check): claimed again now, not at its next full check.
          if (deps.receipts?.isBehind(intent.id) === true) pausing?.end();
          // A claim per finished drive would cost a round trip and a write each: claim when the lane had more due
          // than it took (a quarter of the lane free, for new work), when a release falls due, on a wake or a poll.
          if (backlogged[lane] && freeSlots()[lane] >= refillAt[lane]) pausing?.end();
        });
      slots.add(drive);
    };

    while (!isStopping) {
      const free = freeSlots();
      const now = Date.now();
      dues = dues.filter((due) => due > now);
      let claimed: IntentRecord[] = [];
      try {
        const early = stopFollowing === null || free.tracking <= 0 ? [] : (deps.receipts?.behind() ?? []);
        claimed = await claimDueIntents(deps.db, owner, deps.clock.now(), leaseMs, free, early);
        for (const [intent, context] of await withContexts(deps, claimed)) start(intent, context);
      } catch (error) {
        deps.log.error("worker loop error", { error: error instanceof Error ? error.message : String(error) });
        await pause(deps.config.errorBackoffMs);
        continue;
      }
      for (const lane of lanes)
        backlogged[lane] = free[lane] > 0 && claimed.filter((intent) => laneOf(intent) === lane).length >= free[lane];
      // A backlogged lane with slots free again (drives that ended meanwhile) claims at once; otherwise wait.
      const freeNow = freeSlots();
      const isMoreDue = lanes.some((lane) => backlogged[lane] && freeNow[lane] >= refillAt[lane]);
      if (!isMoreDue) await pause(Math.min(pollIntervalMs, Math.max(0, Math.min(...dues) - Date.now())));
      // Drives that finish in the same turn share the next claim.
      await nextTurn();
    }
    await Promise.all([...inFlight.tracking, ...inFlight.progress]);
  }

  const wakeAll = (): void => {
    for (const wake of [...wakers]) wake();
  };
  // A new head: the intents that were waiting for one are claimed at once (see ReceiptWatch.follow).
  const stopFollowing =
    deps.receipts === undefined || options.headPollMs === null
      ? null
      : deps.receipts.follow(options.headPollMs ?? DEFAULT_HEAD_POLL_MS, wakeAll, (error) =>
          deps.log.warn("chain head not read; waiting intents are checked on their recheck", {
            error: error instanceof Error ? error.message : String(error),
          }),
        );
  const loops = Array.from({ length: options.count }, () => loop());
  return {
    wake: wakeAll,
    async stop() {
      isStopping = true;
      stopFollowing?.();
      wakeAll();
      await Promise.all(loops);
    },
  };
}
