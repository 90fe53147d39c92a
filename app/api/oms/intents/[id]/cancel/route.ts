import { withOms } from "@/lib/bff/route";
import { IntentParams, NoQuery } from "@/lib/bff/schemas";
import { Intent } from "@/lib/defix/intents";

// POST /api/oms/intents/:id/cancel – asks the OMS to cancel a non-terminal intent (409 when terminal)
export const POST = withOms({ schema: { params: IntentParams, query: NoQuery }, csrf: true }, ({ params, oms }) =>
  oms({ response: Intent, method: "POST", path: ["defix", "intents", params.id, "cancel"] }),
);
