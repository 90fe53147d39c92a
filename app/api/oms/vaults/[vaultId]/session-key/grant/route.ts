import { withOms } from "@/lib/bff/route";
import { ExpiryQuery, VaultParams } from "@/lib/bff/schemas";

// GET /api/oms/vaults/:vaultId/session-key/grant – calldata granting a new OMS-held session key (primary manager only)
export const GET = withOms(
  { schema: { params: VaultParams, query: ExpiryQuery }, csrf: true },
  ({ params, query, oms }) => oms({ path: ["defix", "vaults", params.vaultId, "session-key", "grant"], query }),
);
