/**
 * The contract's enumerations and the small pure helpers over them, without zod: the pages import these
 * at runtime, and anything that imports a schema module (intents.ts, events.ts, authorization.ts) brings
 * zod and every schema in it into the browser bundle. The schema modules build their `z.enum`s from these
 * lists and re-export the helpers, so the server keeps importing them from where it always did.
 */

export const INTENT_STATES = [
  "RECEIVED",
  "ACKED",
  "STAGED",
  "PLANNED",
  "EXECUTING",
  "COMPLETED",
  "ABORTED",
  "EXPIRED",
  "FAILED",
  "CANCELED",
] as const;
export type IntentStateName = (typeof INTENT_STATES)[number];

export const TERMINAL_STATES: readonly IntentStateName[] = ["COMPLETED", "ABORTED", "EXPIRED", "FAILED", "CANCELED"];
export const isTerminalState = (state: IntentStateName): boolean => TERMINAL_STATES.includes(state);
/** For a state read as plain text (a database row): unknown names are not terminal. */
export const isTerminalStateName = (state: string): boolean => (TERMINAL_STATES as readonly string[]).includes(state);

/** The older 4-value view of the first OMS page, derived from `state`. */
export const LEGACY_STATUSES = ["Processing", "Completed", "Failed", "Cancelled"] as const;
export type LegacyStatusName = (typeof LEGACY_STATUSES)[number];
export function legacyStatus(state: IntentStateName): LegacyStatusName {
  if (state === "COMPLETED") return "Completed";
  if (state === "CANCELED") return "Cancelled";
  if (state === "FAILED" || state === "ABORTED" || state === "EXPIRED") return "Failed";
  return "Processing";
}

/** The states each older status stands for (the `status=` list filter of the first OMS page). */
export function statesOfLegacyStatus(status: LegacyStatusName): IntentStateName[] {
  return INTENT_STATES.filter((state) => legacyStatus(state) === status);
}

export const INTENT_ACTIONS = ["DEPOSIT", "WITHDRAWAL", "REBALANCE"] as const;

/** An intent's approval state (issue 15). */
export const APPROVAL_STATUSES = ["not_required", "pending", "approved", "rejected", "expired"] as const;

/** How many members of a quorum have signed. */
export const signedCount = (authorization: { members: readonly { signed_at: string | null }[] }): number =>
  authorization.members.filter((member) => member.signed_at !== null).length;

/** Message types in an intent's event log; state transitions carry the new state. */
export const MESSAGE_TYPES = [
  "INTENT_RECEIVED",
  "INTENT_ACKED",
  "INTENT_STAGED",
  "INTENT_PLANNED",
  "TX_SIGNED",
  "TX_BROADCAST",
  "TX_REPLACED",
  "TX_DROPPED",
  "INTENT_EXECUTING",
  "TX_MINED",
  "FILL_RECORDED",
  "INTENT_COMPLETED",
  "INTENT_ABORTED",
  "INTENT_EXPIRED",
  "INTENT_FAILED",
  "INTENT_CANCELED",
  "CANCEL_REQUESTED",
  "WAITING",
  "APPROVAL_SIGNED",
] as const;
export type MessageTypeName = (typeof MESSAGE_TYPES)[number];

/** The state each state-changing message type leads to; the other types are evidence within a state. */
export const STATE_OF_MESSAGE: Readonly<Partial<Record<MessageTypeName, IntentStateName>>> = {
  INTENT_RECEIVED: "RECEIVED",
  INTENT_ACKED: "ACKED",
  INTENT_STAGED: "STAGED",
  INTENT_PLANNED: "PLANNED",
  INTENT_EXECUTING: "EXECUTING",
  INTENT_COMPLETED: "COMPLETED",
  INTENT_ABORTED: "ABORTED",
  INTENT_EXPIRED: "EXPIRED",
  INTENT_FAILED: "FAILED",
  INTENT_CANCELED: "CANCELED",
};

/** The message types whose payload names the transaction they are about. */
export const TX_EVENTS = [
  "TX_SIGNED",
  "TX_BROADCAST",
  "TX_REPLACED",
  "TX_DROPPED",
  "INTENT_EXECUTING",
  "TX_MINED",
  "FILL_RECORDED",
  "INTENT_COMPLETED",
  "INTENT_FAILED",
] as const;

/** The terminal exits whose payload says why in `error`. */
export const ERROR_EVENTS = ["INTENT_ABORTED", "INTENT_EXPIRED", "INTENT_FAILED", "INTENT_CANCELED"] as const;

/** Narrows an event (any type with a `message_type`) to the given message types, so its payload is typed. */
export function isEventOf<E extends { message_type: MessageTypeName }, T extends MessageTypeName>(
  event: E,
  ...types: readonly T[]
): event is Extract<E, { message_type: T }> {
  return (types as readonly MessageTypeName[]).includes(event.message_type);
}
