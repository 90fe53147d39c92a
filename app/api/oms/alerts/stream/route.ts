import { withOms } from "@/lib/bff/route";
import { AlertStreamQuery } from "@/lib/bff/schemas";
import { AlertChange } from "@/lib/defix/alerts";

// GET /api/oms/alerts/stream – SSE of alert changes (`event: alert`) of the user's vaults, passed through unbuffered
export const GET = withOms({ schema: { query: AlertStreamQuery } }, ({ query, oms }) =>
  oms({ path: ["defix", "alerts", "stream"], query, isStream: true, events: { alert: AlertChange } }),
);
