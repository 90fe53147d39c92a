import type { NonceManager } from "../chain/nonce-manager";
import type { NewEvent } from "../domain/new-event";
import type { IntentRecord } from "../domain/record";
import { attemptRow, insertAttempt, type StoredAttempt } from "../store/attempts-repo";
import { dialectOf } from "../store/db";
import { StaleIntentError } from "../store/errors";
import { type Committed, commitSteps, type TransitionStep } from "../store/intents-repo";
import { readNextNonce } from "../store/nonces-repo";
import { type AppendPart, commitSigningTurn, commitStepsTogether, dataAppendPart } from "../store/steps-together";
import { queuedSteps } from "./commit";
import type { EngineDeps } from "./deps";

/** What a signing job signs with the nonce its lane gives it: the attempt as stored (SIGNED) and the step's events. */
export interface SignedAttempt {
  attempt: StoredAttempt;
  events: readonly NewEvent[];
}

/** One drive's signing commit, waiting for its signer's lane. */
export interface SigningJob<T> {
  /** The drive's deps: its queued steps are written in the same commit (as `commitDurable`). */
  deps: EngineDeps;
  record: IntentRecord;
  /** Signs with `nonce` (no database work): the lane stores the attempt and the events with the state change. */
  sign: (nonce: number) => Promise<SignedAttempt>;
  /** After the commit, still in the lane, so the node receives the signer's nonces in order: the send. */
  send: (executing: IntentRecord, attempt: StoredAttempt) => Promise<T>;
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
  /** The record the drive's queued steps follow, and those steps (the signing step comes after them). */
  base: IntentRecord;
  queued: TransitionStep[];
}

type Outcome = { committed: Committed; attempt: StoredAttempt } | { error: unknown };

/**
 * The signer's lane (`NonceManager.serialize`), taken by turns: a turn commits every job of that signer waiting by
 * then together (the nonce row locked once, one commit), then sends their transactions in nonce order. One at a
 * time, a busy signer's intents each paid a whole transaction and the lane's hand-over in turn, and the lane capped
 * a vault's rate (`npm run bench -- engine`).
 *
 * On PostgreSQL a turn is ONE statement (`commitSigningTurn`): signed with the nonces the lane predicts (where its
 * last turn left the counter; read once), written only if the counter is still there. Otherwise, or when that
 * statement fails (another process signed for the key, an intent's lost race), the turn is a transaction that
 * allocates each nonce, signs and stores the attempt (`commitStepsTogether`); if that fails too, its jobs are
 * written one by one, so each fails or succeeds on its own.
 */
export function createSigningLanes(nonces: NonceManager): SigningLanes {
  const waiting = new Map<string, Waiting[]>();
  /** Per signer: the counter's value after this process's last single-statement turn (a guess, checked by it). */
  const predicted = new Map<string, number>();

  /** The single-statement turn; null when it could not be used or did not hold (the caller writes a transaction). */
  async function commitInOneStatement(key: string, parts: Part[]): Promise<Map<Part, Outcome> | null> {
    const [first] = parts;
    if (first === undefined) return new Map();
    const deps = first.waiting.job.deps;
    if (dialectOf(deps.db) !== "postgres") return null;
    const appends = new Map<Part, AppendPart>();
    for (const part of parts) {
      const append = dataAppendPart(part.base, part.queued);
      if (append === null) return null;
      appends.set(part, append);
    }
    const expected = predicted.get(key) ?? (await readNextNonce(deps.db, deps.chain.chainId, key));
    if (expected === null) return null;
    const outcomes = new Map<Part, Outcome>();
    const signed: { part: Part; attempt: StoredAttempt; append: AppendPart }[] = [];
    const at = deps.clock.now();
    for (const part of parts) {
      try {
        const { attempt, events } = await part.waiting.job.sign(expected + signed.length);
        const queued = appends.get(part);
        if (queued === undefined) throw new Error("signing turn: a part is missing");
        signed.push({
          part,
          attempt,
          append: {
            ...queued,
            steps: [...queued.steps, { at, list: events }],
            attempt: attemptRow(attempt, new Date(attempt.created_at)),
          },
        });
      } catch (error) {
        // A signing error is this job's alone; the next job takes the nonce it would have had.
        outcomes.set(part, { error });
      }
    }
    if (signed.length === 0) return outcomes;
    const turn = { chainId: deps.chain.chainId, signer: key, expected, count: signed.length, at };
    try {
      const committed = await commitSigningTurn(
        deps.db,
        turn,
        signed.map((entry) => entry.append),
      );
      predicted.set(key, expected + signed.length);
      for (const [i, entry] of signed.entries()) {
        const done = committed[i];
        outcomes.set(
          entry.part,
          done === undefined
            ? { error: new Error("signing turn: a result is missing") }
            : { committed: done, attempt: entry.attempt },
        );
      }
      return outcomes;
    } catch (error) {
      predicted.delete(key);
      if (!(error instanceof StaleIntentError)) logTurnFailure(deps, signed.length, error);
      return commitTransactions(
        key,
        signed.map((entry) => entry.part),
        outcomes,
      );
    }
  }

  /** The turn as a transaction (nonce allocated, signed and stored inside it); one by one if that fails. */
  async function commitTransactions(
    key: string,
    parts: Part[],
    outcomes = new Map<Part, Outcome>(),
  ): Promise<Map<Part, Outcome>> {
    const [first] = parts;
    if (first === undefined) return outcomes;
    const deps = first.waiting.job.deps;
    const attempts = new Map<Part, StoredAttempt>();
    const stepsOf = (part: Part): TransitionStep[] => [
      ...part.queued,
      {
        at: deps.clock.now(),
        events: async (trx) => {
          const { attempt, events } = await part.waiting.job.sign(await nonces.allocate(trx, key));
          await insertAttempt(trx, attempt, new Date(attempt.created_at));
          attempts.set(part, attempt);
          return events;
        },
      },
    ];
    const settle = (part: Part, committed: Committed) => {
      const attempt = attempts.get(part);
      outcomes.set(
        part,
        attempt === undefined ? { error: new Error("attempt was not signed") } : { committed, attempt },
      );
    };
    if (parts.length > 1) {
      // A failure here is one job's (or the database's): each job meets it again, alone, below.
      const together = await commitStepsTogether(
        deps.db,
        parts.map((part) => ({ current: part.base, steps: stepsOf(part) })),
      ).catch((error: unknown) => {
        if (!(error instanceof StaleIntentError)) logTurnFailure(deps, parts.length, error);
        return null;
      });
      if (together !== null) {
        for (const [i, part] of parts.entries()) {
          const committed = together[i];
          if (committed === undefined) outcomes.set(part, { error: new Error("signing turn: a result is missing") });
          else settle(part, committed);
        }
        return outcomes;
      }
    }
    for (const part of parts) {
      try {
        settle(part, await commitSteps(deps.db, part.base, stepsOf(part)));
      } catch (error) {
        outcomes.set(part, { error });
      }
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
        const { base, steps } = await queuedSteps(job.job.deps, job.job.record);
        parts.push({ waiting: job, base, queued: steps });
      } catch (error) {
        // Its queue's own earlier write failed (a lost race): that drive alone fails.
        job.reject(error);
      }
    }
    const outcomes = (await commitInOneStatement(key, parts)) ?? (await commitTransactions(key, parts));
    for (const part of parts) {
      const outcome = outcomes.get(part);
      if (outcome === undefined || "error" in outcome) {
        part.waiting.reject(outcome?.error ?? new Error("signing lane: an outcome is missing"));
        continue;
      }
      // Whatever fails here fails this job alone; the turn goes on to the next (its drive must not hang).
      try {
        part.waiting.job.deps.publish(outcome.committed.events);
        part.waiting.resolve(await part.waiting.job.send(outcome.committed.record, outcome.attempt));
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

/** A lost race is expected now and then (a cancel, another process); anything else is worth a line in the log. */
function logTurnFailure(deps: EngineDeps, intents: number, error: unknown): void {
  deps.log.warn("signing turn failed; writing its intents again", {
    intents,
    error: error instanceof Error ? error.message : String(error),
  });
}
