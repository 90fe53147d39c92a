import { withOms } from "@/lib/bff/route";
import { NoQuery, VaultParams } from "@/lib/bff/schemas";
import { ApprovalPolicyState, PutApprovalPolicyRequest } from "@/lib/defix/approvals";

// GET /api/oms/vaults/:vaultId/approval-policy – the policy in force and its version history (any role)
export const GET = withOms({ schema: { params: VaultParams, query: NoQuery } }, ({ params, oms }) =>
  oms({ response: ApprovalPolicyState, path: ["defix", "vaults", params.vaultId, "approval-policy"] }),
);

// PUT /api/oms/vaults/:vaultId/approval-policy – a new version signed in the wallet (primary manager)
export const PUT = withOms(
  { schema: { params: VaultParams, query: NoQuery, body: PutApprovalPolicyRequest }, csrf: true },
  ({ params, body, oms }) =>
    oms({
      response: ApprovalPolicyState,
      method: "PUT",
      path: ["defix", "vaults", params.vaultId, "approval-policy"],
      body,
    }),
);
