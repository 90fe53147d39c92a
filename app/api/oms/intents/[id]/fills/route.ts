import { withOms } from "@/lib/bff/route";
import { IntentParams, NoQuery } from "@/lib/bff/schemas";
import { FillList } from "@/lib/defix/events";

// GET /api/oms/intents/:id/fills – on-chain execution evidence (null fields until the receipt is in)
export const GET = withOms({ schema: { params: IntentParams, query: NoQuery } }, ({ params, oms }) =>
  oms({ response: FillList, path: ["defix", "intents", params.id, "fills"] }),
);
