import { withOms } from "@/lib/bff/route";
import { IntentParams } from "@/lib/bff/schemas";
import { EventsQuery } from "@/lib/defix";
import { IntentEvent, IntentEventList } from "@/lib/defix/events";

// GET /api/oms/intents/:id/events – the event log after `after_seq`; live SSE when Accept is text/event-stream
export const GET = withOms({ schema: { params: IntentParams, query: EventsQuery } }, ({ req, params, query, oms }) => {
  const path = ["defix", "intents", params.id, "events"];
  return (req.headers.get("accept") ?? "").includes("text/event-stream")
    ? oms({ path, query, isStream: true, events: { intent_event: IntentEvent } })
    : oms({ path, query, response: IntentEventList });
});
