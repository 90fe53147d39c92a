import { withOms } from "@/lib/bff/route";
import { IntentParams, NoQuery } from "@/lib/bff/schemas";
import { Intent } from "@/lib/defix/intents";

// GET /api/oms/intents/:id – one intent's current projection (state, status, seq_num, tx, error)
export const GET = withOms({ schema: { params: IntentParams, query: NoQuery } }, ({ params, oms }) =>
  oms({ response: Intent, path: ["defix", "intents", params.id] }),
);
