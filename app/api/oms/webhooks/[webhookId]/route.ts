import { withOms } from "@/lib/bff/route";
import { NoQuery, WebhookParams } from "@/lib/bff/schemas";
import { UpdateWebhookRequest, WebhookDeleted, WebhookEndpoint } from "@/lib/defix/webhooks";

// GET /api/oms/webhooks/:webhookId – one endpoint (never its secret)
export const GET = withOms({ schema: { params: WebhookParams, query: NoQuery } }, ({ params, oms }) =>
  oms({ response: WebhookEndpoint, path: ["defix", "webhooks", params.webhookId] }),
);

// PATCH /api/oms/webhooks/:webhookId – URL, description, subscriptions, enabled
export const PATCH = withOms(
  { schema: { params: WebhookParams, query: NoQuery, body: UpdateWebhookRequest }, csrf: true },
  ({ params, body, oms }) =>
    oms({ response: WebhookEndpoint, method: "PATCH", path: ["defix", "webhooks", params.webhookId], body }),
);

// DELETE /api/oms/webhooks/:webhookId – the endpoint and its delivery log
export const DELETE = withOms({ schema: { params: WebhookParams, query: NoQuery }, csrf: true }, ({ params, oms }) =>
  oms({ response: WebhookDeleted, method: "DELETE", path: ["defix", "webhooks", params.webhookId] }),
);
