import { withOms } from "@/lib/bff/route";
import { VaultParams } from "@/lib/bff/schemas";
import { CostsQuery } from "@/lib/defix";
import { VaultCosts } from "@/lib/defix/costs";

// GET /api/oms/vaults/:vaultId/costs – gas the vault's automation spent, from receipts (issue 19)
export const GET = withOms({ schema: { params: VaultParams, query: CostsQuery } }, ({ params, query, oms }) =>
  oms({ response: VaultCosts, path: ["defix", "vaults", params.vaultId, "costs"], query }),
);
