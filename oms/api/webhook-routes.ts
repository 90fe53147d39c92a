import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { VaultId } from "../../lib/defix/common";
import { ErrorCode } from "../../lib/defix/errors";
import {
  CreateWebhookRequest,
  UpdateWebhookRequest,
  WebhookDeleted,
  WebhookDelivery,
  WebhookDeliveryList,
  WebhookDeliveryStatus,
  WebhookEndpoint,
  WebhookList,
  WebhookWithSecret,
} from "../../lib/defix/webhooks";
import { ROLE_RANK } from "../../lib/roles/directory";
import { DomainError } from "../kernel/errors";
import { defineRoute, type ResponseDoc, type Route, type RouteDef } from "../kernel/route";
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

/**
 * A route on one webhook (by id): only a manager of its vault, as a person (else 403, or 404 without any role);
 * the tag and the 403/404 are the same for all, `run` gets the caller's subject as `actor`.
 */
function byWebhook<
  P extends z.ZodType & (typeof WebhookParams | typeof DeliveryParams),
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
>(
  service: WebhookService,
  spec: Omit<RouteDef<P, Q, B>, "tag" | "handler" | "responses"> & {
    /** 200 unless given. */
    status?: 200 | 202;
    response: ResponseDoc;
    run(input: { params: z.output<P>; query: z.output<Q>; body: z.output<B>; actor: string }): Promise<unknown>;
  },
): Route {
  const { status = 200, response, run, errors = [], ...rest } = spec;
  return defineRoute<P, Q, B>({
    ...rest,
    tag: TAG,
    responses: { [status]: response },
    errors: [403, 404, ...errors],
    async handler({ request, params, query, body }) {
      const actor = (await requireManager(request, await service.vaultOf(params.id), true)).subject;
      return { status, body: await run({ params, query, body, actor }) };
    },
  });
}

/** The webhook routes (contributed to `buildApi` as extra routes by `oms/app.ts`). */
export function webhookRoutes(service: WebhookService): Route[] {
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
    byWebhook(service, {
      method: "GET",
      url: "/defix/webhooks/:id",
      operationId: "getWebhook",
      summary: "One webhook endpoint",
      params: WebhookParams,
      response: { description: "Endpoint", schema: WebhookEndpoint },
      run: ({ params }) => service.get(params.id),
    }),
    byWebhook(service, {
      method: "PATCH",
      url: "/defix/webhooks/:id",
      operationId: "updateWebhook",
      summary: "Change an endpoint",
      description:
        "URL, description, subscriptions, enabled. `enabled: true` on a disabled endpoint clears its failure streak; its pending deliveries resume.",
      params: WebhookParams,
      body: UpdateWebhookRequest,
      response: { description: "Endpoint", schema: WebhookEndpoint },
      errors: [422],
      run: ({ params, body, actor }) => service.update(params.id, body, actor),
    }),
    byWebhook(service, {
      method: "DELETE",
      url: "/defix/webhooks/:id",
      operationId: "deleteWebhook",
      summary: "Delete an endpoint and its delivery log",
      params: WebhookParams,
      response: { description: "Deleted", schema: WebhookDeleted },
      run: async ({ params }) => {
        await service.remove(params.id);
        return { deleted: true };
      },
    }),
    byWebhook(service, {
      method: "POST",
      url: "/defix/webhooks/:id/rotate-secret",
      operationId: "rotateWebhookSecret",
      summary: "Replace the signing secret",
      description: "The new secret is in the answer, shown this once; the old one stops signing at once.",
      params: WebhookParams,
      response: { description: "Endpoint with its new secret", schema: WebhookWithSecret },
      run: ({ params }) => service.rotateSecret(params.id),
    }),
    byWebhook(service, {
      method: "POST",
      url: "/defix/webhooks/:id/test",
      operationId: "testWebhook",
      summary: "Send a test ping",
      description: "Queues a signed `webhook.test` delivery; its result shows in the delivery log.",
      params: WebhookParams,
      status: 202,
      response: { description: "Queued", schema: WebhookDelivery },
      errors: [409],
      run: ({ params }) => service.test(params.id),
    }),
    byWebhook(service, {
      method: "GET",
      url: "/defix/webhooks/:id/deliveries",
      operationId: "listWebhookDeliveries",
      summary: "The endpoint's delivery log",
      description: "Newest first, each with its attempts (status code, latency, response excerpt).",
      params: WebhookParams,
      query: LogQuery,
      response: { description: "Deliveries", schema: WebhookDeliveryList },
      run: ({ params, query }) => service.deliveries(params.id, query),
    }),
    byWebhook(service, {
      method: "GET",
      url: "/defix/webhooks/:id/deliveries/:delivery_id",
      operationId: "getWebhookDelivery",
      summary: "One delivery with its attempts",
      params: DeliveryParams,
      response: { description: "Delivery", schema: WebhookDelivery },
      run: ({ params }) => service.delivery(params.id, params.delivery_id),
    }),
    byWebhook(service, {
      method: "POST",
      url: "/defix/webhooks/:id/deliveries/:delivery_id/redeliver",
      operationId: "redeliverWebhook",
      summary: "Send a delivery again",
      description:
        "Queues one more attempt of a finished delivery, with the same `webhook-id`. 409 WEBHOOK_DELIVERY_PENDING while it is pending, WEBHOOK_DISABLED on a disabled endpoint.",
      params: DeliveryParams,
      status: 202,
      response: { description: "Queued", schema: WebhookDelivery },
      errors: [409],
      run: ({ params }) => service.redeliver(params.id, params.delivery_id),
    }),
  ];
}
