import { withOms } from "@/lib/bff/route";
import { WebhookLogQuery, WebhookParams } from "@/lib/bff/schemas";

// GET /api/oms/webhooks/:webhookId/deliveries – the delivery log, newest first, with attempts
export const GET = withOms({ schema: { params: WebhookParams, query: WebhookLogQuery } }, ({ params, query, oms }) =>
  oms({ path: ["defix", "webhooks", params.webhookId, "deliveries"], query }),
);
