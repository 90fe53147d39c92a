import { withOms } from "@/lib/bff/route";
import { NoQuery } from "@/lib/bff/schemas";
import { ReadAllAlertsRequest, UnreadCount } from "@/lib/defix/alerts";

// POST /api/oms/alerts/read-all – marks every alert so far read (the user's vaults, or one vault)
export const POST = withOms({ schema: { query: NoQuery, body: ReadAllAlertsRequest }, csrf: true }, ({ body, oms }) =>
  oms({ response: UnreadCount, method: "POST", path: ["defix", "alerts", "read-all"], body }),
);
