import type { IntentEvent, IntentEventOf } from "@/lib/defix/events";
import type { Intent, IntentState } from "@/lib/defix/intents";
import {
  ERROR_EVENTS,
  isEventOf,
  isTerminalState,
  legacyStatus,
  STATE_OF_MESSAGE,
  TX_EVENTS,
} from "@/lib/defix/states";

export function stateOfEvent(event: Pick<IntentEvent, "message_type">): IntentState | null {
  return STATE_OF_MESSAGE[event.message_type] ?? null;
}

export interface Transition {
  state: IntentState;
  at: string;
}

/**
 * The state transitions of an intent, in order. Events are the source of truth; when they are not
 * loaded yet (or lag the intent row) the row's own timestamps fill in, so the strip never lies
 * about the current state.
 */
export function transitionsOf(intent: Intent, events: readonly IntentEvent[]): Transition[] {
  const fromEvents = [...events]
    .sort((a, b) => a.seq_num - b.seq_num)
    .flatMap((event) => {
      const state = stateOfEvent(event);
      return state ? [{ state, at: event.created_at }] : [];
    });
  const transitions = fromEvents.length > 0 ? fromEvents : [{ state: "RECEIVED" as const, at: intent.created_at }];
  if (transitions.at(-1)?.state !== intent.state && !transitions.some((t) => t.state === intent.state)) {
    transitions.push({ state: intent.state, at: intent.state_entered_at });
  }
  return transitions;
}

function txHashOf(event: IntentEvent): string | null {
  const txHash = isEventOf(event, ...TX_EVENTS) ? event.payload.tx_hash : undefined;
  return typeof txHash === "string" ? txHash : null;
}

/**
 * Applies a streamed event to a cached intent row at once (the follow-up fetch of the row is the
 * authority): state, timestamps, seq and the tx hash when the event carries one.
 */
export function applyEvent(intent: Intent, event: IntentEvent): Intent {
  if (event.intent_id !== intent.id || event.seq_num <= intent.seq_num) return intent;
  const next: Intent = { ...intent, seq_num: event.seq_num, updated_at: event.created_at };
  const txHash = txHashOf(event);
  if (txHash && /^0x[0-9a-f]{64}$/i.test(txHash)) next.tx_hash = txHash.toLowerCase() as Intent["tx_hash"];
  const state = stateOfEvent(event);
  if (!state || isTerminalState(intent.state)) return next;
  next.state = state;
  next.status = legacyStatus(state);
  next.state_entered_at = event.created_at;
  if (isTerminalState(state)) next.completed_at = event.created_at;
  const error = isEventOf(event, ...ERROR_EVENTS) ? errorOfPayload(event.payload) : null;
  if (error && state !== "COMPLETED") next.error = error;
  return next;
}

/** Terminal exits carry `{ error: { code, message } }` (`TerminalErrorPayload` in lib/defix). */
export function errorOfPayload(
  payload: IntentEventOf<(typeof ERROR_EVENTS)[number]>["payload"],
): { code: string; message: string } | null {
  const { error } = payload;
  if (typeof error?.code !== "string") return null;
  return { code: error.code, message: typeof error.message === "string" ? error.message : error.code };
}
