import { withOms } from "@/lib/bff/route";
import { DeliveryParams, NoQuery } from "@/lib/bff/schemas";
import { WebhookDelivery } from "@/lib/defix/webhooks";

// POST /api/oms/webhooks/:webhookId/deliveries/:deliveryId/redeliver – one more attempt, same webhook-id
export const POST = withOms({ schema: { params: DeliveryParams, query: NoQuery }, csrf: true }, ({ params, oms }) =>
  oms({
    response: WebhookDelivery,
    method: "POST",
    path: ["defix", "webhooks", params.webhookId, "deliveries", params.deliveryId, "redeliver"],
  }),
);
