import { withOms } from "@/lib/bff/route";
import { IntentParams, NoQuery } from "@/lib/bff/schemas";
import { ApprovalDecisionRequest } from "@/lib/defix/approvals";
import { Intent } from "@/lib/defix/intents";

// POST /api/oms/intents/:id/approvals – a quorum member's wallet signature approves a pending intent
export const POST = withOms(
  { schema: { params: IntentParams, query: NoQuery, body: ApprovalDecisionRequest }, csrf: true },
  ({ params, body, oms }) =>
    oms({ response: Intent, method: "POST", path: ["defix", "intents", params.id, "approvals"], body }),
);
