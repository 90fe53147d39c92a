import type { NonceManager } from "../chain/nonce-manager";
import type { NewEvent } from "../domain/new-event";
import type { IntentRecord } from "../domain/record";
import { StaleIntentError } from "../store/errors";
import { type Committed, commitSteps, type TransitionStep, type Tx } from "../store/intents-repo";
import { commitStepsTogether } from "../store/steps-together";
import { durableSteps } from "./commit";
import type { EngineDeps } from "./deps";

/** One drive's signing commit, waiting for its signer's lane. */
export interface SigningJob<T> {
  /** The drive's deps: its queued steps are written in the same commit (as `commitDurable`). */
  deps: EngineDeps;
  record: IntentRecord;
  /** Runs inside the commit: allocates the nonce, signs and stores the attempt; answers the step's events. */
  prepare: (trx: Tx) => Promise<readonly NewEvent[]>;
  /** After the commit, still in the lane, so the node receives the signer's nonces in order: the send. */
  send: (executing: IntentRecord) => Promise<T>;
}

export interface SigningLanes {
  /** Commits the job (with whatever other jobs of the signer wait by then), then sends it, in nonce order. */
  run<T>(signer: string, job: SigningJob<T>): Promise<T>;
}

/** Jobs one turn of a lane commits together at most (a bound on the nonce row's lock and on one failure's reach). */
export const MAX_SIGNING_BATCH = 16;

interface Waiting {
  job: SigningJob<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

interface Part {
  waiting: Waiting;
  base: IntentRecord;
  steps: TransitionStep[];
}

/**
 * The signer's lane (`NonceManager.serialize`), taken by turns: a turn commits every job of that signer waiting by
 * then in ONE transaction (the nonce row locked once, one commit), then sends their transactions in nonce order.
 * One at a time, a busy signer's intents each paid a whole transaction and the lane's hand-over in turn, and the
 * lane capped a vault's rate (`npm run bench -- engine`). A turn whose transaction fails (one intent's lost race,
 * one signing error) writes its jobs one by one instead, so each fails or succeeds on its own.
 */
export function createSigningLanes(nonces: NonceManager): SigningLanes {
  const waiting = new Map<string, Waiting[]>();

  async function commitParts(parts: readonly Part[]): Promise<(Committed | { error: unknown })[]> {
    const [first] = parts;
    if (first === undefined) return [];
    const db = first.waiting.job.deps.db;
    if (parts.length > 1) {
      // A failure here is one job's (or the database's): each job meets it again, alone, below. A lost race is
      // expected now and then (a cancel); anything else is worth a line in the log.
      const together = await commitStepsTogether(
        db,
        parts.map((part) => ({ current: part.base, steps: part.steps })),
      ).catch((error: unknown) => {
        if (!(error instanceof StaleIntentError)) {
          first.waiting.job.deps.log.warn("signing turn failed; writing its intents one by one", {
            intents: parts.length,
            error: error instanceof Error ? error.message : String(error),
          });
        }
        return null;
      });
      if (together !== null) return together;
    }
    const outcomes: (Committed | { error: unknown })[] = [];
    for (const part of parts) {
      outcomes.push(await commitSteps(db, part.base, part.steps).catch((error: unknown) => ({ error })));
    }
    return outcomes;
  }

  async function takeTurn(key: string): Promise<void> {
    const queue = waiting.get(key) ?? [];
    const batch = queue.splice(0, MAX_SIGNING_BATCH);
    if (queue.length === 0) waiting.delete(key);
    const parts: Part[] = [];
    for (const job of batch) {
      try {
        parts.push({ waiting: job, ...(await durableSteps(job.job.deps, job.job.record, job.job.prepare)) });
      } catch (error) {
        // Its queue's own earlier write failed (a lost race): that drive alone fails.
        job.reject(error);
      }
    }
    const outcomes = await commitParts(parts);
    for (const [i, part] of parts.entries()) {
      const outcome = outcomes[i];
      if (outcome === undefined || "error" in outcome) {
        part.waiting.reject(outcome?.error ?? new Error("signing lane: an outcome is missing"));
        continue;
      }
      // Whatever fails here fails this job alone; the turn goes on to the next (its drive must not hang).
      try {
        part.waiting.job.deps.publish(outcome.events);
        part.waiting.resolve(await part.waiting.job.send(outcome.record));
      } catch (error) {
        part.waiting.reject(error);
      }
    }
  }

  return {
    run<T>(signer: string, job: SigningJob<T>): Promise<T> {
      const key = signer.toLowerCase();
      return new Promise<T>((resolve, reject) => {
        const queue = waiting.get(key) ?? [];
        queue.push({ job, resolve: resolve as (value: unknown) => void, reject });
        waiting.set(key, queue);
        // Every job asks for a turn; a turn takes whatever waits by then, so a later turn may find nothing left.
        nonces.serialize(key, () => takeTurn(key)).catch(reject);
      });
    },
  };
}
