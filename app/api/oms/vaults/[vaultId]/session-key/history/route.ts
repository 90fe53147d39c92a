import { withOms } from "@/lib/bff/route";
import { NoQuery, VaultParams } from "@/lib/bff/schemas";
import { SessionKeyHistory } from "@/lib/defix/session-keys";

// GET /api/oms/vaults/:vaultId/session-key/history – the audit trail of the vault's session-key changes
export const GET = withOms({ schema: { params: VaultParams, query: NoQuery } }, ({ params, oms }) =>
  oms({ response: SessionKeyHistory, path: ["defix", "vaults", params.vaultId, "session-key", "history"] }),
);
