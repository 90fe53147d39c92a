import { withOms } from "@/lib/bff/route";
import { NoQuery, VaultParams } from "@/lib/bff/schemas";
import { CreateWebhookRequest, WebhookList, WebhookWithSecret } from "@/lib/defix/webhooks";

// GET /api/oms/vaults/:vaultId/webhooks – the vault's webhook endpoints (managers only, the OMS decides)
export const GET = withOms({ schema: { params: VaultParams, query: NoQuery } }, ({ params, oms }) =>
  oms({ response: WebhookList, path: ["defix", "vaults", params.vaultId, "webhooks"] }),
);

// POST /api/oms/vaults/:vaultId/webhooks – subscribe an endpoint; the answer carries the secret, shown once
export const POST = withOms(
  { schema: { params: VaultParams, query: NoQuery, body: CreateWebhookRequest }, csrf: true },
  ({ params, body, oms }) =>
    oms({ response: WebhookWithSecret, method: "POST", path: ["defix", "vaults", params.vaultId, "webhooks"], body }),
);
