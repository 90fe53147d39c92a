import { withOms } from "@/lib/bff/route";
import { NoQuery, VaultParams } from "@/lib/bff/schemas";
import { Readiness } from "@/lib/defix/session-keys";

// GET /api/oms/vaults/:vaultId/session-key/readiness – readiness of the vault's session key, read from the chain (polled by the canvas gate)
export const GET = withOms({ schema: { params: VaultParams, query: NoQuery } }, ({ params, oms }) =>
  oms({ response: Readiness, path: ["defix", "vaults", params.vaultId, "session-key", "readiness"] }),
);
