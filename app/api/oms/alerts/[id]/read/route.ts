import { withOms } from "@/lib/bff/route";
import { AlertParams, NoQuery } from "@/lib/bff/schemas";
import { UnreadCount } from "@/lib/defix/alerts";

// POST /api/oms/alerts/:id/read – marks one alert read for the signed-in user
export const POST = withOms({ schema: { params: AlertParams, query: NoQuery }, csrf: true }, ({ params, oms }) =>
  oms({ response: UnreadCount, method: "POST", path: ["defix", "alerts", params.id, "read"] }),
);
