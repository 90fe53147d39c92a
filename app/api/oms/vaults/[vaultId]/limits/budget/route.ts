import { withOms } from "@/lib/bff/route";
import { NoQuery, VaultParams } from "@/lib/bff/schemas";
import { BudgetRequest } from "@/lib/defix/limits";
import { PreparedTransaction } from "@/lib/defix/session-keys";

// POST /api/oms/vaults/:vaultId/limits/budget – setBudget calldata for the primary manager's wallet (issue 20)
export const POST = withOms(
  { schema: { params: VaultParams, query: NoQuery, body: BudgetRequest }, csrf: true },
  ({ params, body, oms }) =>
    oms({
      response: PreparedTransaction,
      method: "POST",
      path: ["defix", "vaults", params.vaultId, "limits", "budget"],
      body,
    }),
);
