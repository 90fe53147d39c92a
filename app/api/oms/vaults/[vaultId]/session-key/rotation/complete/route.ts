import { withOms } from "@/lib/bff/route";
import { NoQuery, VaultParams } from "@/lib/bff/schemas";
import { Readiness } from "@/lib/defix/session-keys";

// POST /api/oms/vaults/:vaultId/session-key/rotation/complete – promotes the pending key once the chain shows it
export const POST = withOms({ schema: { params: VaultParams, query: NoQuery }, csrf: true }, ({ params, oms }) =>
  oms({
    response: Readiness,
    method: "POST",
    path: ["defix", "vaults", params.vaultId, "session-key", "rotation", "complete"],
  }),
);
