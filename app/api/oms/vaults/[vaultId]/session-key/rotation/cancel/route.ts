import { withOms } from "@/lib/bff/route";
import { NoQuery, VaultParams } from "@/lib/bff/schemas";
import { Readiness } from "@/lib/defix/session-keys";

// POST /api/oms/vaults/:vaultId/session-key/rotation/cancel – discards a pending key that never became valid (409 if none)
export const POST = withOms({ schema: { params: VaultParams, query: NoQuery }, csrf: true }, ({ params, oms }) =>
  oms({
    response: Readiness,
    method: "POST",
    path: ["defix", "vaults", params.vaultId, "session-key", "rotation", "cancel"],
  }),
);
