import { withOms } from "@/lib/bff/route";
import { ExpiryQuery, VaultParams } from "@/lib/bff/schemas";
import { PreparedTransaction } from "@/lib/defix/session-keys";

// GET /api/oms/vaults/:vaultId/session-key/grant – calldata granting a new OMS-held session key (primary manager only)
export const GET = withOms(
  { schema: { params: VaultParams, query: ExpiryQuery }, csrf: true },
  ({ params, query, oms }) =>
    oms({ response: PreparedTransaction, path: ["defix", "vaults", params.vaultId, "session-key", "grant"], query }),
);
