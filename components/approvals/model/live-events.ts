import type { IntentEvent } from "@/lib/defix/events";

/**
 * Whether an intent event can change the Approvals queue: a new quorum to sign (a WAITING for
 * APPROVAL_REQUIRED, first catch or a re-pend after size drift), a signature, or anything that happens to an
 * intent the queue holds (it moved on, was rejected, expired). Other intents' progress leaves it as it is, so
 * a busy vault does not refetch the queue on every fill.
 */
export function affectsApprovalsQueue(event: IntentEvent, queuedIntentIds: ReadonlySet<string>): boolean {
  if (queuedIntentIds.has(event.intent_id)) return true;
  if (event.message_type === "APPROVAL_SIGNED") return true;
  return event.message_type === "WAITING" && event.payload.reason === "APPROVAL_REQUIRED";
}
