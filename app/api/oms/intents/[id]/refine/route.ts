import { withOms } from "@/lib/bff/route";
import { IntentParams, NoQuery } from "@/lib/bff/schemas";
import { Refinement } from "@/lib/defix/refinements";

// POST /api/oms/intents/:id/refine – "Refine now": the OMS plans the stored intent at the head, sends nothing
export const POST = withOms({ schema: { params: IntentParams, query: NoQuery }, csrf: true }, ({ params, oms }) =>
  oms({ response: Refinement, method: "POST", path: ["defix", "intents", params.id, "refine"] }),
);
