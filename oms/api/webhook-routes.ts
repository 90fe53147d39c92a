import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { VaultId } from "../../lib/defix/common";
import { ErrorCode } from "../../lib/defix/errors";
import {
  CreateWebhookRequest,
  UpdateWebhookRequest,
  WebhookDelivery,
  WebhookDeliveryList,
  WebhookDeliveryStatus,
  WebhookEndpoint,
  WebhookList,
  WebhookWithSecret,
} from "../../lib/defix/webhooks";
import { ROLE_RANK } from "../../lib/roles/directory";
import { DomainError } from "../kernel/errors";
import { defineRoute, type Route } from "../kernel/route";
import type { WebhookService } from "../notify/webhooks/service";
import { grantFor, requireActor } from "./auth";

const TAG = "Webhooks";
const WebhookId = z.string().regex(/^wh_[0-9a-f]{32}$/, "must be a webhook id (wh_…)");
const DeliveryId = z.string().regex(/^msg_[0-9a-f]{32}$/, "must be a delivery id (msg_…)");
const VaultParams = z.strictObject({ vault_id: VaultId });
const WebhookParams = z.strictObject({ id: WebhookId });
const DeliveryParams = z.strictObject({ id: WebhookId, delivery_id: DeliveryId });
const LogQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(200).optional(),
  status: WebhookDeliveryStatus.optional(),
});
const Deleted = z.object({ deleted: z.literal(true) });

/**
 * Webhooks are managed by the vault's managers, as people (a service token cannot read or set the
 * secrets of a vault's integrations). Without any role on the vault, the endpoint "does not exist".
 */
async function requireManager(
  request: FastifyRequest,
  vaultId: string,
  isKnown: boolean,
): Promise<{ subject: string; vaultId: string }> {
  const actor = requireActor(request);
  const { directory } = request.server.access;
  const vault = directory.vault(vaultId);
  const grant = vault && actor.kind === "user" ? await grantFor(actor, vault.vault_id, directory) : null;
  if (!vault || (grant === null && isKnown)) {
    throw isKnown
      ? new DomainError(ErrorCode.WEBHOOK_NOT_FOUND, "This webhook does not exist")
      : new DomainError(ErrorCode.VAULT_NOT_FOUND, `Vault ${vaultId} is not known to this OMS`);
  }
  if (grant === null || ROLE_RANK[grant.role] < ROLE_RANK.SECONDARY_MANAGER) {
    throw new DomainError(ErrorCode.FORBIDDEN, "Managing webhooks needs a manager role on the vault (as a person)");
  }
  return { subject: actor.subject, vaultId: vault.vault_id };
}

/** The webhook routes (contributed to `buildApi` as extra routes by `oms/app.ts`). */
export function webhookRoutes(service: WebhookService): Route[] {
  const manage = async (request: FastifyRequest, id: string) =>
    (await requireManager(request, await service.vaultOf(id), true)).subject;
  return [
    defineRoute({
      method: "GET",
      url: "/defix/vaults/:vault_id/webhooks",
      operationId: "listWebhooks",
      summary: "List a vault's webhook endpoints",
      tag: TAG,
      params: VaultParams,
      responses: { 200: { description: "Endpoints", schema: WebhookList } },
      errors: [403, 404],
      async handler({ request, params }) {
        const { vaultId } = await requireManager(request, params.vault_id, false);
        return { status: 200, body: await service.list(vaultId) };
      },
    }),
    defineRoute({
      method: "POST",
      url: "/defix/vaults/:vault_id/webhooks",
      operationId: "createWebhook",
      summary: "Subscribe an endpoint",
      description:
        "The answer carries the signing secret (`whsec_…`): it is shown this once. The URL must be https:// and resolve to public addresses only (422 WEBHOOK_TARGET_FORBIDDEN), unless the OMS runs with WEBHOOK_ALLOW_PRIVATE_TARGETS (development). 409 WEBHOOK_LIMIT_REACHED past the per-vault bound.",
      tag: TAG,
      params: VaultParams,
      body: CreateWebhookRequest,
      responses: { 201: { description: "Created, with the secret", schema: WebhookWithSecret } },
      errors: [403, 404, 409, 422],
      async handler({ request, params, body }) {
        const { subject, vaultId } = await requireManager(request, params.vault_id, false);
        return { status: 201, body: await service.create(vaultId, body, subject) };
      },
    }),
    defineRoute({
      method: "GET",
      url: "/defix/webhooks/:id",
      operationId: "getWebhook",
      summary: "One webhook endpoint",
      tag: TAG,
      params: WebhookParams,
      responses: { 200: { description: "Endpoint", schema: WebhookEndpoint } },
      errors: [403, 404],
      async handler({ request, params }) {
        await manage(request, params.id);
        return { status: 200, body: await service.get(params.id) };
      },
    }),
    defineRoute({
      method: "PATCH",
      url: "/defix/webhooks/:id",
      operationId: "updateWebhook",
      summary: "Change an endpoint",
      description:
        "URL, description, subscriptions, enabled. `enabled: true` on a disabled endpoint clears its failure streak; its pending deliveries resume.",
      tag: TAG,
      params: WebhookParams,
      body: UpdateWebhookRequest,
      responses: { 200: { description: "Endpoint", schema: WebhookEndpoint } },
      errors: [403, 404, 422],
      async handler({ request, params, body }) {
        const actor = await manage(request, params.id);
        return { status: 200, body: await service.update(params.id, body, actor) };
      },
    }),
    defineRoute({
      method: "DELETE",
      url: "/defix/webhooks/:id",
      operationId: "deleteWebhook",
      summary: "Delete an endpoint and its delivery log",
      tag: TAG,
      params: WebhookParams,
      responses: { 200: { description: "Deleted", schema: Deleted } },
      errors: [403, 404],
      async handler({ request, params }) {
        await manage(request, params.id);
        await service.remove(params.id);
        return { status: 200, body: { deleted: true } };
      },
    }),
    defineRoute({
      method: "POST",
      url: "/defix/webhooks/:id/rotate-secret",
      operationId: "rotateWebhookSecret",
      summary: "Replace the signing secret",
      description: "The new secret is in the answer, shown this once; the old one stops signing at once.",
      tag: TAG,
      params: WebhookParams,
      responses: { 200: { description: "Endpoint with its new secret", schema: WebhookWithSecret } },
      errors: [403, 404],
      async handler({ request, params }) {
        await manage(request, params.id);
        return { status: 200, body: await service.rotateSecret(params.id) };
      },
    }),
    defineRoute({
      method: "POST",
      url: "/defix/webhooks/:id/test",
      operationId: "testWebhook",
      summary: "Send a test ping",
      description: "Queues a signed `webhook.test` delivery; its result shows in the delivery log.",
      tag: TAG,
      params: WebhookParams,
      responses: { 202: { description: "Queued", schema: WebhookDelivery } },
      errors: [403, 404, 409],
      async handler({ request, params }) {
        await manage(request, params.id);
        return { status: 202, body: await service.test(params.id) };
      },
    }),
    defineRoute({
      method: "GET",
      url: "/defix/webhooks/:id/deliveries",
      operationId: "listWebhookDeliveries",
      summary: "The endpoint's delivery log",
      description: "Newest first, each with its attempts (status code, latency, response excerpt).",
      tag: TAG,
      params: WebhookParams,
      query: LogQuery,
      responses: { 200: { description: "Deliveries", schema: WebhookDeliveryList } },
      errors: [403, 404],
      async handler({ request, params, query }) {
        await manage(request, params.id);
        return { status: 200, body: await service.deliveries(params.id, query) };
      },
    }),
    defineRoute({
      method: "GET",
      url: "/defix/webhooks/:id/deliveries/:delivery_id",
      operationId: "getWebhookDelivery",
      summary: "One delivery with its attempts",
      tag: TAG,
      params: DeliveryParams,
      responses: { 200: { description: "Delivery", schema: WebhookDelivery } },
      errors: [403, 404],
      async handler({ request, params }) {
        await manage(request, params.id);
        return { status: 200, body: await service.delivery(params.id, params.delivery_id) };
      },
    }),
    defineRoute({
      method: "POST",
      url: "/defix/webhooks/:id/deliveries/:delivery_id/redeliver",
      operationId: "redeliverWebhook",
      summary: "Send a delivery again",
      description:
        "Queues one more attempt of a finished delivery, with the same `webhook-id`. 409 WEBHOOK_DELIVERY_PENDING while it is pending, WEBHOOK_DISABLED on a disabled endpoint.",
      tag: TAG,
      params: DeliveryParams,
      responses: { 202: { description: "Queued", schema: WebhookDelivery } },
      errors: [403, 404, 409],
      async handler({ request, params }) {
        await manage(request, params.id);
        return { status: 202, body: await service.redeliver(params.id, params.delivery_id) };
      },
    }),
  ];
}
