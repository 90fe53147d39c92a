import { withOms } from "@/lib/bff/route";
import { NoQuery, VaultParams } from "@/lib/bff/schemas";
import { PreparedTransaction } from "@/lib/defix/session-keys";

// GET /api/oms/vaults/:vaultId/session-key/revoke – calldata revoking the current session key (primary manager only)
export const GET = withOms({ schema: { params: VaultParams, query: NoQuery }, csrf: true }, ({ params, oms }) =>
  oms({ response: PreparedTransaction, path: ["defix", "vaults", params.vaultId, "session-key", "revoke"] }),
);
