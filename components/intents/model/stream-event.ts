import type { IntentEvent } from "@/lib/defix/events";

/**
 * An `intent_event` frame's data. The BFF checked it against the contract's `IntentEvent` before sending
 * (lib/bff/sse-check.ts), so only the JSON is read here: zod stays out of the pages.
 */
export function parseStreamEvent(data: string): IntentEvent | null {
  try {
    const json: unknown = JSON.parse(data);
    return typeof json === "object" && json !== null && "message_type" in json && "intent_id" in json
      ? (json as IntentEvent)
      : null;
  } catch (error) {
    console.warn("unparseable stream event", error);
    return null;
  }
}
