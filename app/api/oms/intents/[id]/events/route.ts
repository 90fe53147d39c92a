import { withOms } from "@/lib/bff/route";
import { IntentParams } from "@/lib/bff/schemas";
import { EventsQuery } from "@/lib/defix";

// GET /api/oms/intents/:id/events – the event log after `after_seq`; live SSE when Accept is text/event-stream
export const GET = withOms({ schema: { params: IntentParams, query: EventsQuery } }, ({ req, params, query, oms }) =>
  oms({
    path: ["defix", "intents", params.id, "events"],
    query,
    isStream: (req.headers.get("accept") ?? "").includes("text/event-stream"),
  }),
);
