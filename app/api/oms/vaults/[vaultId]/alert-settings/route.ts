import { withOms } from "@/lib/bff/route";
import { NoQuery, VaultParams } from "@/lib/bff/schemas";
import { AlertSettings } from "@/lib/defix/alerts";

// GET /api/oms/vaults/:vaultId/alert-settings – the vault's alert thresholds (managers)
export const GET = withOms({ schema: { params: VaultParams, query: NoQuery } }, ({ params, oms }) =>
  oms({ response: AlertSettings, path: ["defix", "vaults", params.vaultId, "alert-settings"] }),
);

// PUT /api/oms/vaults/:vaultId/alert-settings – replaces the thresholds (primary manager)
export const PUT = withOms(
  { schema: { params: VaultParams, query: NoQuery, body: AlertSettings }, csrf: true },
  ({ params, body, oms }) =>
    oms({ response: AlertSettings, method: "PUT", path: ["defix", "vaults", params.vaultId, "alert-settings"], body }),
);
