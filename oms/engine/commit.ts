import type { ErrorCode, MessageType } from "../../lib/defix";
import type { NewEvent } from "../domain/new-event";
import type { IntentRecord } from "../domain/record";
import { commitSteps, projectSteps, type TransitionStep, type Tx } from "../store/intents-repo";
import type { EngineDeps } from "./deps";

export type StepResult = { kind: "moved"; record: IntentRecord } | { kind: "wait"; delayMs: number } | { kind: "done" };

/**
 * The steps one drive of an intent has taken but not yet written. Steps that only record what
 * happened (acknowledged, staged, planned, broadcast, waiting, a terminal outcome) need not be
 * durable before the next step runs: if the process dies, they are simply taken again. So a drive
 * writes them together, either with the next step that must be durable before its side effect
 * (the signed transaction, before it is broadcast) or when the drive ends. One transaction instead of
 * one per step; each event keeps its own time.
 */
export class PendingSteps {
  private base: IntentRecord | null = null;
  private latest: IntentRecord | null = null;
  private steps: TransitionStep[] = [];

  /** Queues a step after `record` (the latest projection) and returns the projection after it. */
  add(record: IntentRecord, step: TransitionStep & { events: readonly NewEvent[] }): IntentRecord {
    this.assertLatest(record);
    this.base ??= record;
    this.steps.push(step);
    this.latest = projectSteps(record, [{ at: step.at, list: step.events }]).record;
    return this.latest;
  }

  /** The record as stored and the queued steps after it; empties the queue. */
  take(record: IntentRecord): { base: IntentRecord; steps: TransitionStep[] } {
    this.assertLatest(record);
    const taken = { base: this.base ?? record, steps: this.steps };
    this.base = null;
    this.latest = null;
    this.steps = [];
    return taken;
  }

  get latestRecord(): IntentRecord | null {
    return this.latest;
  }

  private assertLatest(record: IntentRecord): void {
    if (this.latest !== null && this.latest.seq_num !== record.seq_num) {
      throw new Error(`intent ${record.id}: step after seq ${record.seq_num}, but ${this.latest.seq_num} is queued`);
    }
  }
}

async function write(deps: EngineDeps, base: IntentRecord, steps: readonly TransitionStep[]): Promise<IntentRecord> {
  if (steps.length === 0) return base;
  const committed = await commitSteps(deps.db, base, steps);
  deps.publish(committed.events);
  return committed.record;
}

/**
 * Records a step that need not be durable before the next one (see PendingSteps): queued when the
 * caller is a drive, written at once otherwise (an API cancel). `writes` are its rows in other tables.
 */
export async function commit(
  deps: EngineDeps,
  record: IntentRecord,
  events: readonly NewEvent[],
  writes?: (trx: Tx) => Promise<void>,
): Promise<IntentRecord> {
  const step = { at: deps.clock.now(), events, write: writes };
  if (deps.pending !== undefined) return deps.pending.add(record, step);
  return write(deps, record, [step]);
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
  const { base, steps } = deps.pending?.take(record) ?? { base: record, steps: [] };
  return write(deps, base, [...steps, { at: deps.clock.now(), events: prepare }]);
}

/** Writes the drive's queued steps; returns the stored record (null when nothing was queued). */
export async function flush(deps: EngineDeps): Promise<IntentRecord | null> {
  const latest = deps.pending?.latestRecord ?? null;
  if (deps.pending === undefined || latest === null) return null;
  const { base, steps } = deps.pending.take(latest);
  return write(deps, base, steps);
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
