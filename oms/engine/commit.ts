import type { ErrorCode, MessageType } from "../../lib/defix";
import type { NewEvent } from "../domain/new-event";
import type { IntentRecord } from "../domain/record";
import type { StoredAttempt } from "../store/attempts-repo";
import { commitSteps, projectSteps, type TransitionStep, type Tx } from "../store/intents-repo";
import type { RowWrites } from "../store/row-writes";
import type { EngineDeps } from "./deps";

export type StepResult = { kind: "moved"; record: IntentRecord } | { kind: "wait"; delayMs: number } | { kind: "done" };

/**
 * The steps one drive of an intent has taken but not yet written. Steps that only record what
 * happened (acknowledged, staged, planned, broadcast, waiting, a terminal outcome) need not be
 * durable before the next step runs: if the process dies, they are simply taken again. So a drive
 * writes them together, either with the next step that must be durable before its side effect
 * (the signed transaction, before it is broadcast) or when the drive ends. One transaction instead of
 * one per step; each event keeps its own time.
 *
 * With `writeAfterMs`, a queue held that long (the next steps wait on the node, the signer's lane, a busy
 * database) is written on its own meanwhile: an intent's progress is never hidden for longer. The drive's next
 * write waits for that one, and its failure (someone else appended) fails the drive's next step or write.
 */
export class PendingSteps {
  private base: IntentRecord | null = null;
  private latest: IntentRecord | null = null;
  private steps: TransitionStep[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** A write of the queue that started on its own, while it is out (one at a time). */
  private inFlight: Promise<void> | null = null;
  /** What the last such write stored, until `settled` hands it over. */
  private stored: IntentRecord | null = null;
  private failure: { error: unknown } | null = null;

  constructor(
    private readonly onItsOwn?: {
      writeAfterMs: number;
      write: (base: IntentRecord, steps: readonly TransitionStep[]) => Promise<IntentRecord>;
    },
  ) {}

  /** Queues a step after `record` (the latest projection) and returns the projection after it. */
  add(record: IntentRecord, step: TransitionStep & { events: readonly NewEvent[] }): IntentRecord {
    this.throwFailure();
    this.assertLatest(record);
    this.base ??= record;
    this.steps.push(step);
    this.latest = projectSteps(record, [{ at: step.at, list: step.events }]).record;
    if (this.onItsOwn !== undefined && this.timer === null) {
      this.timer = setTimeout(() => this.writeEarly(), this.onItsOwn.writeAfterMs);
    }
    return this.latest;
  }

  /**
   * Waits for a write of the queue that started on its own; answers the record the last one stored (null: none
   * since the last call). Its failure is thrown here (or by the next `add`), once.
   */
  async settled(): Promise<IntentRecord | null> {
    if (this.inFlight !== null) await this.inFlight;
    this.throwFailure();
    const stored = this.stored;
    this.stored = null;
    return stored;
  }

  /** The record as stored and the queued steps after it; empties the queue. Call after `settled`. */
  take(record: IntentRecord): { base: IntentRecord; steps: TransitionStep[] } {
    this.assertLatest(record);
    return this.takeAll(record);
  }

  get latestRecord(): IntentRecord | null {
    return this.latest;
  }

  private takeAll(record: IntentRecord): { base: IntentRecord; steps: TransitionStep[] } {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const taken = { base: this.base ?? record, steps: this.steps };
    this.base = null;
    this.latest = null;
    this.steps = [];
    return taken;
  }

  private writeEarly(): void {
    this.timer = null;
    const latest = this.latest;
    if (this.onItsOwn === undefined || latest === null || this.failure !== null) return;
    if (this.inFlight !== null) {
      // One at a time (each builds on the one before): again once this one is in.
      this.timer = setTimeout(() => this.writeEarly(), this.onItsOwn.writeAfterMs);
      return;
    }
    const { base, steps } = this.takeAll(latest);
    // The failure is kept for the drive's next step or write (`add`, `settled`), where it fails the drive.
    this.inFlight = this.onItsOwn
      .write(base, steps)
      .then(
        (record) => {
          this.stored = record;
        },
        (error: unknown) => {
          this.failure = { error };
        },
      )
      .finally(() => {
        this.inFlight = null;
      });
  }

  private throwFailure(): void {
    const failure = this.failure;
    if (failure === null) return;
    this.failure = null;
    throw failure.error;
  }

  private assertLatest(record: IntentRecord): void {
    if (this.latest !== null && this.latest.seq_num !== record.seq_num) {
      throw new Error(`intent ${record.id}: step after seq ${record.seq_num}, but ${this.latest.seq_num} is queued`);
    }
  }
}

/** Writes `steps` after `base` in one transaction and publishes their events. */
export async function writeSteps(
  deps: EngineDeps,
  base: IntentRecord,
  steps: readonly TransitionStep[],
): Promise<IntentRecord> {
  if (steps.length === 0) return base;
  const committed = await (deps.appends?.commit(deps.db, base, steps) ?? commitSteps(deps.db, base, steps));
  deps.publish(committed.events);
  return committed.record;
}

/**
 * Records a step that need not be durable before the next one (see PendingSteps): queued when the
 * caller is a drive, written at once otherwise (an API cancel). `writes` are its rows in other tables: as data
 * (`RowWrites`) where it can, so PostgreSQL writes them in the append's one statement.
 */
export async function commit(
  deps: EngineDeps,
  record: IntentRecord,
  events: readonly NewEvent[],
  writes?: ((trx: Tx) => Promise<void>) | RowWrites,
): Promise<IntentRecord> {
  const at = deps.clock.now();
  const step = typeof writes === "function" ? { at, events, write: writes } : { at, events, rows: writes };
  if (deps.pending !== undefined) return deps.pending.add(record, step);
  return writeSteps(deps, record, [step]);
}

/**
 * A step that must be durable before its side effect (the broadcast of the transaction it signs):
 * written now, in one transaction with the drive's queued steps. `prepare` runs inside it.
 */
export async function commitDurable(
  deps: EngineDeps,
  record: IntentRecord,
  prepare: (trx: Tx) => Promise<readonly NewEvent[]>,
): Promise<IntentRecord> {
  const { base, steps } = await durableSteps(deps, record, prepare);
  return writeSteps(deps, base, steps);
}

/** What `commitDurable` writes: the drive's queued steps (taken from its queue) and the durable step after them. */
export async function durableSteps(
  deps: EngineDeps,
  record: IntentRecord,
  prepare: (trx: Tx) => Promise<readonly NewEvent[]>,
): Promise<{ base: IntentRecord; steps: TransitionStep[] }> {
  const { base, steps } = await queuedSteps(deps, record);
  return { base, steps: [...steps, { at: deps.clock.now(), events: prepare }] };
}

/** The drive's queued steps (taken from its queue) and the record they follow, for a durable step written after them. */
export async function queuedSteps(
  deps: EngineDeps,
  record: IntentRecord,
): Promise<{ base: IntentRecord; steps: TransitionStep[] }> {
  // A write of the queue that started on its own (see PendingSteps) comes first; its record is the base if it took all.
  const stored = (await deps.pending?.settled()) ?? null;
  const { base, steps } = deps.pending?.take(record) ?? { base: record, steps: [] };
  return { base: steps.length === 0 && stored !== null ? stored : base, steps };
}

/** Writes the drive's queued steps; returns the stored record (null when nothing was queued). */
export async function flush(deps: EngineDeps): Promise<IntentRecord | null> {
  if (deps.pending === undefined) return null;
  const stored = await deps.pending.settled();
  const latest = deps.pending.latestRecord;
  if (latest === null) return stored;
  const { base, steps } = deps.pending.take(latest);
  return writeSteps(deps, base, steps);
}

type TerminalType = Extract<MessageType, "INTENT_ABORTED" | "INTENT_EXPIRED" | "INTENT_FAILED" | "INTENT_CANCELED">;

export function terminalEvent(type: TerminalType, code: ErrorCode, message: string, extra = {}): NewEvent {
  return { message_type: type, payload: { error: { code, message }, ...extra } };
}

export async function finish(
  deps: EngineDeps,
  record: IntentRecord,
  type: TerminalType,
  code: ErrorCode,
  message: string,
): Promise<StepResult> {
  return { kind: "moved", record: await commit(deps, record, [terminalEvent(type, code, message)]) };
}

export const isPastDeadline = (deps: EngineDeps, record: IntentRecord) =>
  deps.clock.now().getTime() >= Date.parse(record.deadline);

/** Never sleep past the deadline: an intent waiting for a key must expire on time. */
export function waitDelay(deps: EngineDeps, record: IntentRecord, delayMs: number): number {
  const untilDeadline = Date.parse(record.deadline) - deps.clock.now().getTime();
  return Math.max(0, Math.min(delayMs, untilDeadline));
}

/**
 * Per drive (`EngineDeps.known`): an intent's attempts as this drive itself stored or queued them, at the projected
 * sequence number they belong to. Every change to an intent's attempts is appended with an event of that intent, so
 * the list is exact as long as the record is still at that number; tracking reads it instead of the database, and
 * the drive need not write its queue first (drive.ts).
 */
export interface KnownAttempts {
  at: { seq_num: number; attempts: readonly StoredAttempt[] } | null;
}

export function noteAttempts(deps: EngineDeps, record: IntentRecord, attempts: readonly StoredAttempt[]): void {
  if (deps.known !== undefined) deps.known.at = { seq_num: record.seq_num, attempts };
}

/** The attempts this drive knows for `record` (null: read them, after writing the queue). */
export function knownAttempts(deps: EngineDeps, record: IntentRecord): readonly StoredAttempt[] | null {
  const at = deps.known?.at;
  return at !== undefined && at !== null && at.seq_num === record.seq_num ? at.attempts : null;
}
