import { withOms } from "@/lib/bff/route";
import { IntentParams, NoQuery } from "@/lib/bff/schemas";

// GET /api/oms/intents/:id/fills – on-chain execution evidence (null fields until the receipt is in)
export const GET = withOms({ schema: { params: IntentParams, query: NoQuery } }, ({ params, oms }) =>
  oms({ path: ["defix", "intents", params.id, "fills"] }),
);
