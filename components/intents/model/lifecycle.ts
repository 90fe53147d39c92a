import type { IntentEvent } from "@/lib/defix/events";
import type { Intent, IntentState } from "@/lib/defix/intents";
import { isTerminalState } from "@/lib/defix/states";
import { type Transition, transitionsOf } from "./transitions";

export const HAPPY_PATH: readonly IntentState[] = ["RECEIVED", "ACKED", "STAGED", "PLANNED", "EXECUTING", "COMPLETED"];

/**
 * - `done`: passed; `current`: the intent is in it now (in flight); `completed`: the successful end;
 * - `exit`: the terminal exit (ABORTED/EXPIRED/FAILED/CANCELED), placed where it happened;
 * - `pending`: not reached yet; `unreached`: never will be (after an exit);
 * - `passed`: skipped over without its own event (enteredAt null).
 */
export type StepKind = "done" | "current" | "completed" | "exit" | "pending" | "unreached" | "passed";

export interface LifecycleStep {
  state: IntentState;
  kind: StepKind;
  enteredAt: string | null;
  /** Time spent in this step: until the next transition, or until now for the current step. */
  durationMs: number | null;
}

function durationAfter(transitions: readonly Transition[], index: number, now: number): number | null {
  const entered = transitions[index];
  if (!entered) return null;
  const next = transitions[index + 1];
  if (next) return Date.parse(next.at) - Date.parse(entered.at);
  return isTerminalState(entered.state) ? null : now - Date.parse(entered.at);
}

/** The lifecycle strip: RECEIVED → … → terminal, with the exit shown where it happened. */
export function deriveLifecycle(intent: Intent, events: readonly IntentEvent[], now: number): LifecycleStep[] {
  const transitions = transitionsOf(intent, events);
  const indexOf = (state: IntentState) => transitions.findIndex((t) => t.state === state);
  const isExit = isTerminalState(intent.state) && intent.state !== "COMPLETED";
  const lastReached = Math.max(...HAPPY_PATH.map((state, i) => (indexOf(state) >= 0 ? i : -1)));

  const steps: LifecycleStep[] = [];
  HAPPY_PATH.forEach((state, pathIndex) => {
    const index = indexOf(state);
    if (pathIndex === lastReached + 1 && isExit) steps.push(exitStep(intent, transitions, now));
    if (index >= 0) {
      const isCurrent = intent.state === state && !isTerminalState(state);
      const kind: StepKind = state === "COMPLETED" ? "completed" : isCurrent ? "current" : "done";
      steps.push({
        state,
        kind,
        enteredAt: transitions[index]?.at ?? null,
        durationMs: durationAfter(transitions, index, now),
      });
    } else if (pathIndex < lastReached) {
      steps.push({ state, kind: "passed", enteredAt: null, durationMs: null });
    } else {
      steps.push({ state, kind: isExit ? "unreached" : "pending", enteredAt: null, durationMs: null });
    }
  });
  return steps;
}

function exitStep(intent: Intent, transitions: readonly Transition[], now: number): LifecycleStep {
  const index = transitions.findIndex((t) => t.state === intent.state);
  return {
    state: intent.state,
    kind: "exit",
    enteredAt: transitions[index]?.at ?? intent.state_entered_at,
    durationMs: durationAfter(transitions, index, now),
  };
}

/** Total time from RECEIVED to the terminal state (or to now while in flight). */
export function totalDurationMs(intent: Intent, now: number): number {
  const end = intent.completed_at ? Date.parse(intent.completed_at) : now;
  return end - Date.parse(intent.created_at);
}
