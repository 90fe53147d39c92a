import type { ErrorCode, MessageType } from "../../lib/defix";
import type { NewEvent } from "../core/payloads";
import type { IntentRecord } from "../core/record";
import { commitTransition, type Tx } from "../store/intents-repo";
import type { EngineDeps } from "./deps";

export type StepResult = { kind: "moved"; record: IntentRecord } | { kind: "wait"; delayMs: number } | { kind: "done" };

/** Commits events (guarded by the record's seq) and tells subscribers once they are durable. */
export async function commit(
  deps: EngineDeps,
  record: IntentRecord,
  events: readonly NewEvent[] | ((trx: Tx) => Promise<readonly NewEvent[]>),
): Promise<IntentRecord> {
  const committed = await commitTransition(deps.db, record, events, deps.clock.now());
  deps.publish(committed.events);
  return committed.record;
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
  await commit(deps, record, [terminalEvent(type, code, message)]);
  return { kind: "done" };
}

export const isPastDeadline = (deps: EngineDeps, record: IntentRecord) =>
  deps.clock.now().getTime() >= Date.parse(record.deadline);

/** Never sleep past the deadline: an intent waiting for a key must expire on time. */
export function waitDelay(deps: EngineDeps, record: IntentRecord, delayMs: number): number {
  const untilDeadline = Date.parse(record.deadline) - deps.clock.now().getTime();
  return Math.max(0, Math.min(delayMs, untilDeadline));
}
