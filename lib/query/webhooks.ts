import { queryOptions } from "@tanstack/react-query";
import { z } from "zod";
import {
  type CreateWebhookRequest,
  type UpdateWebhookRequest,
  WebhookDelivery,
  WebhookDeliveryList,
  WebhookEndpoint,
  WebhookList,
  WebhookWithSecret,
} from "@/lib/defix/webhooks";
import { fetchJson } from "./fetcher";
import { queryKeys } from "./keys";

const vaultBase = (vaultId: string) => `/api/oms/vaults/${encodeURIComponent(vaultId)}/webhooks`;
const hookBase = (webhookId: string) => `/api/oms/webhooks/${encodeURIComponent(webhookId)}`;
const json = (method: string, body?: unknown): { method: string; headers?: Record<string, string>; body?: string } => ({
  method,
  ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
});

/** A vault's endpoints; refreshed every 15 s so an auto-disable shows without a reload. */
export function webhooksOptions(vaultId: string) {
  return queryOptions({
    queryKey: queryKeys.vaults.webhooks(vaultId),
    queryFn: ({ signal }) => fetchJson(vaultBase(vaultId), WebhookList, { signal }),
    staleTime: 5_000,
    refetchInterval: 15_000,
  });
}

/** The newest deliveries of an endpoint; polled faster while some are pending. */
export function deliveriesOptions(webhookId: string) {
  return queryOptions({
    queryKey: queryKeys.webhooks.deliveries(webhookId),
    queryFn: ({ signal }) => fetchJson(`${hookBase(webhookId)}/deliveries?limit=50`, WebhookDeliveryList, { signal }),
    refetchInterval: (query) =>
      query.state.data?.deliveries.some((delivery) => delivery.status === "pending") ? 2_000 : 10_000,
  });
}

export const createWebhook = (vaultId: string, body: CreateWebhookRequest) =>
  fetchJson(vaultBase(vaultId), WebhookWithSecret, json("POST", body));
export const updateWebhook = (webhookId: string, body: UpdateWebhookRequest) =>
  fetchJson(hookBase(webhookId), WebhookEndpoint, json("PATCH", body));
export const deleteWebhook = (webhookId: string) =>
  fetchJson(hookBase(webhookId), z.object({ deleted: z.literal(true) }), json("DELETE"));
export const rotateWebhookSecret = (webhookId: string) =>
  fetchJson(`${hookBase(webhookId)}/rotate-secret`, WebhookWithSecret, json("POST"));
export const testWebhook = (webhookId: string) =>
  fetchJson(`${hookBase(webhookId)}/test`, WebhookDelivery, json("POST"));
export const redeliver = (webhookId: string, deliveryId: string) =>
  fetchJson(
    `${hookBase(webhookId)}/deliveries/${encodeURIComponent(deliveryId)}/redeliver`,
    WebhookDelivery,
    json("POST"),
  );
