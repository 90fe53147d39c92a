import type { Kysely } from "kysely";
import type { IntentRecord } from "../domain/record";
import type { Logger } from "../kernel/logger";
import { dialectOf } from "../store/db";
import { StaleIntentError } from "../store/errors";
import { type Committed, commitSteps, type TransitionStep } from "../store/intents-repo";
import type { Database } from "../store/schema";
import { type AppendPart, appendManyStatement, dataAppendPart } from "../store/steps-together";

/** Writes of several intents one statement carries at most (a bound on one failure's reach). */
export const MAX_APPEND_BATCH = 16;

/**
 * Group commit of the engine's data-only writes on PostgreSQL (a drive's queued steps: acknowledged, broadcast,
 * mined, completed…). Every append takes the positions counter's lock and holds it to its commit, so appends run one
 * after another whatever the connections; each paid its own statement, commit and hand-over of that lock. One write
 * runs at a time here: while it runs, the writes that arrive wait, and the next statement carries all of them
 * (`appendManyStatement`: each intent guarded on its own sequence number, one range of positions). A write arriving
 * with none running starts at once. A batch that fails (one intent's lost race) writes its intents one by one, so
 * each fails or succeeds on its own. Writes with code in them (a nonce, a signature) and SQLite go straight through.
 */
export interface AppendBatcher {
  commit(db: Kysely<Database>, current: IntentRecord, steps: readonly TransitionStep[]): Promise<Committed>;
}

interface Waiting {
  db: Kysely<Database>;
  current: IntentRecord;
  steps: readonly TransitionStep[];
  part: AppendPart;
  resolve(committed: Committed): void;
  reject(error: unknown): void;
}

export function createAppendBatcher(log: Logger): AppendBatcher {
  const waiting: Waiting[] = [];
  let isRunning = false;

  async function writeOneByOne(batch: readonly Waiting[]): Promise<void> {
    for (const job of batch) {
      await commitSteps(job.db, job.current, job.steps).then(job.resolve, job.reject);
    }
  }

  async function writeTogether(batch: readonly Waiting[]): Promise<void> {
    const [first] = batch;
    if (first === undefined) return;
    if (batch.length === 1 || batch.some((job) => job.db !== first.db)) return writeOneByOne(batch);
    let committed: Committed[];
    try {
      committed = await appendManyStatement(
        first.db,
        batch.map((job) => job.part),
      );
    } catch (error) {
      // Nothing was written (the statement is atomic): each write meets its own outcome alone. A lost race is
      // expected now and then (a cancel, another process); anything else is worth a line in the log.
      if (!(error instanceof StaleIntentError)) {
        log.warn("append batch failed; writing its intents one by one", {
          intents: batch.length,
          error: error instanceof Error ? error.message : String(error),
        });
      }
      return writeOneByOne(batch);
    }
    for (const [i, job] of batch.entries()) {
      const done = committed[i];
      if (done === undefined) job.reject(new Error("append batch: a result is missing"));
      else job.resolve(done);
    }
  }

  async function drain(): Promise<void> {
    isRunning = true;
    try {
      while (waiting.length > 0) {
        const batch = waiting.splice(0, MAX_APPEND_BATCH);
        // Whatever escapes fails the writes not yet answered (answering a settled promise again does nothing).
        await writeTogether(batch).catch((error: unknown) => {
          for (const job of batch) job.reject(error);
        });
      }
    } finally {
      isRunning = false;
    }
  }

  return {
    commit(db, current, steps) {
      const part = dialectOf(db) === "postgres" ? dataAppendPart(current, steps) : null;
      if (part === null || part.steps.every((step) => step.list.length === 0)) return commitSteps(db, current, steps);
      return new Promise<Committed>((resolve, reject) => {
        waiting.push({ db, current, steps, part, resolve, reject });
        if (!isRunning) void drain();
      });
    },
  };
}
