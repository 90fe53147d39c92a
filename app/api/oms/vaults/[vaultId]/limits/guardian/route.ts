import { withOms } from "@/lib/bff/route";
import { NoQuery, VaultParams } from "@/lib/bff/schemas";
import { GuardianRequest } from "@/lib/defix/limits";
import { PreparedTransaction } from "@/lib/defix/session-keys";

// POST /api/oms/vaults/:vaultId/limits/guardian – setGuardian calldata for the primary manager's wallet (issue 20)
export const POST = withOms(
  { schema: { params: VaultParams, query: NoQuery, body: GuardianRequest }, csrf: true },
  ({ params, body, oms }) =>
    oms({
      response: PreparedTransaction,
      method: "POST",
      path: ["defix", "vaults", params.vaultId, "limits", "guardian"],
      body,
    }),
);
