import { withOms } from "@/lib/bff/route";
import { ListIntentsQuery } from "@/lib/defix";
import { IntentList } from "@/lib/defix/intents";

// GET /api/oms/intents – the caller's intents (cursor page + facet counts), filtered by the validated query
export const GET = withOms({ schema: { query: ListIntentsQuery } }, ({ query, oms }) =>
  oms({ response: IntentList, path: ["defix", "intents"], query }),
);
