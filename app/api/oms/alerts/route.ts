import { withOms } from "@/lib/bff/route";
import { AlertList, AlertListQuery } from "@/lib/defix/alerts";

// GET /api/oms/alerts – the user's vaults' alerts, newest first, with their read flags and unread count
export const GET = withOms({ schema: { query: AlertListQuery } }, ({ query, oms }) =>
  oms({ response: AlertList, path: ["defix", "alerts"], query }),
);
