import { withOms } from "@/lib/bff/route";
import { WebhookLogQuery, WebhookParams } from "@/lib/bff/schemas";
import { WebhookDeliveryList } from "@/lib/defix/webhooks";

// GET /api/oms/webhooks/:webhookId/deliveries – the delivery log, newest first, with attempts
export const GET = withOms({ schema: { params: WebhookParams, query: WebhookLogQuery } }, ({ params, query, oms }) =>
  oms({ response: WebhookDeliveryList, path: ["defix", "webhooks", params.webhookId, "deliveries"], query }),
);
