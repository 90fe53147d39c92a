import { withOms } from "@/lib/bff/route";
import { NoQuery, VaultParams } from "@/lib/bff/schemas";
import { PreparedTransaction } from "@/lib/defix/session-keys";

// POST /api/oms/vaults/:vaultId/limits/pause – registry pause calldata for the wallet (issue 20; the OMS checks who may)
export const POST = withOms({ schema: { params: VaultParams, query: NoQuery }, csrf: true }, ({ params, oms }) =>
  oms({ response: PreparedTransaction, method: "POST", path: ["defix", "vaults", params.vaultId, "limits", "pause"] }),
);
