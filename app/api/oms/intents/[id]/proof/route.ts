import { withOms } from "@/lib/bff/route";
import { IntentParams, NoQuery } from "@/lib/bff/schemas";
import { IntentProof } from "@/lib/defix/audit-proof";

// GET /api/oms/intents/:id/proof – the intent's signed chain proof and its place in the vault's checkpoint (issue 19)
export const GET = withOms({ schema: { params: IntentParams, query: NoQuery } }, ({ params, oms }) =>
  oms({ response: IntentProof, path: ["defix", "intents", params.id, "proof"] }),
);
