import { withOms } from "@/lib/bff/route";
import { NoQuery, WebhookParams } from "@/lib/bff/schemas";
import { WebhookDelivery } from "@/lib/defix/webhooks";

// POST /api/oms/webhooks/:webhookId/test – queue a signed test ping
export const POST = withOms({ schema: { params: WebhookParams, query: NoQuery }, csrf: true }, ({ params, oms }) =>
  oms({ response: WebhookDelivery, method: "POST", path: ["defix", "webhooks", params.webhookId, "test"] }),
);
