import { withOms } from "@/lib/bff/route";
import { NoQuery, VaultParams } from "@/lib/bff/schemas";

// GET /api/oms/vaults/:vaultId/session-key/revoke – calldata revoking the current session key (primary manager only)
export const GET = withOms({ schema: { params: VaultParams, query: NoQuery }, csrf: true }, ({ params, oms }) =>
  oms({ path: ["defix", "vaults", params.vaultId, "session-key", "revoke"] }),
);
