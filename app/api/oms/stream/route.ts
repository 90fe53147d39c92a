import { withOms } from "@/lib/bff/route";
import { StreamQuery } from "@/lib/bff/schemas";
import { StreamedIntentEvent } from "@/lib/defix/events";

// GET /api/oms/stream – SSE of every visible intent's events (optionally one vault), passed through unbuffered
export const GET = withOms({ schema: { query: StreamQuery } }, ({ query, oms }) =>
  oms({ path: ["defix", "stream"], query, isStream: true, events: { intent_event: StreamedIntentEvent } }),
);
