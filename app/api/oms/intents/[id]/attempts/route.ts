import { withOms } from "@/lib/bff/route";
import { IntentParams, NoQuery } from "@/lib/bff/schemas";
import { TxAttemptList } from "@/lib/defix/events";

// GET /api/oms/intents/:id/attempts – every signed transaction attempt (replacements included)
export const GET = withOms({ schema: { params: IntentParams, query: NoQuery } }, ({ params, oms }) =>
  oms({ response: TxAttemptList, path: ["defix", "intents", params.id, "attempts"] }),
);
