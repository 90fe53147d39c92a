import { withOms } from "@/lib/bff/route";
import { NoQuery, WebhookParams } from "@/lib/bff/schemas";
import { WebhookWithSecret } from "@/lib/defix/webhooks";

// POST /api/oms/webhooks/:webhookId/rotate-secret – a new signing secret, shown once
export const POST = withOms({ schema: { params: WebhookParams, query: NoQuery }, csrf: true }, ({ params, oms }) =>
  oms({ response: WebhookWithSecret, method: "POST", path: ["defix", "webhooks", params.webhookId, "rotate-secret"] }),
);
