import { z } from "zod";
import { IsoDateTime } from "./common";
import type { IntentEvent } from "./events";

/**
 * The event log as the first OMS page (DeFiX v0.1) shows it: `{timestamp, event_type, details}` per
 * transition of the older status model, derived from the same events (GET …/events?format=v0.1).
 */
export const V01EventType = z.enum(["submitted", "processing", "completed", "failed", "cancelled"]);
export const V01Event = z.object({
  timestamp: IsoDateTime,
  event_type: V01EventType,
  details: z.record(z.string(), z.unknown()),
});
export type V01Event = z.infer<typeof V01Event>;
export const V01EventList = z.object({ events: z.array(V01Event), last_seq: z.number().int() });

const field = (payload: unknown, key: string): unknown =>
  payload !== null && typeof payload === "object" ? (payload as Record<string, unknown>)[key] : undefined;

/** Execution attempts (first and replacements) among `events`: numbering continues across pages. */
export const countAttempts = (events: readonly IntentEvent[]): number =>
  events.filter((event) => event.message_type === "INTENT_EXECUTING" || event.message_type === "TX_REPLACED").length;

/**
 * Only transitions the older model knows: received → `submitted`, each signed execution attempt
 * (first and replacements) → `processing` with its `attempt` number, and the end. Acknowledgement,
 * staging, planning and the transaction's own steps have no v0.1 counterpart and are left out.
 * `attemptsBefore` counts attempts in events before this page, so numbering continues across pages.
 */
export function toV01Events(events: readonly IntentEvent[], attemptsBefore = 0): V01Event[] {
  let attempt = attemptsBefore;
  const out: V01Event[] = [];
  for (const event of events) {
    const at = { timestamp: event.created_at };
    const { payload } = event;
    switch (event.message_type) {
      case "INTENT_RECEIVED":
        out.push({ ...at, event_type: "submitted", details: {} });
        break;
      case "INTENT_EXECUTING":
      case "TX_REPLACED":
        attempt++;
        out.push({ ...at, event_type: "processing", details: { attempt, tx_hash: field(payload, "tx_hash") } });
        break;
      case "INTENT_COMPLETED":
        out.push({
          ...at,
          event_type: "completed",
          details: { tx_hash: field(payload, "tx_hash"), gas_used: field(payload, "gas_used") },
        });
        break;
      case "INTENT_FAILED":
      case "INTENT_ABORTED":
      case "INTENT_EXPIRED":
        out.push({ ...at, event_type: "failed", details: { error: field(payload, "error") } });
        break;
      case "INTENT_CANCELED":
        out.push({ ...at, event_type: "cancelled", details: { reason: field(payload, "error") } });
        break;
      default:
        break;
    }
  }
  return out;
}
