import { queryOptions } from "@tanstack/react-query";
import type {
  CreateWebhookRequest,
  UpdateWebhookRequest,
  WebhookDeleted,
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
    queryFn: ({ signal }) => fetchJson<WebhookList>(vaultBase(vaultId), { signal }),
    staleTime: 5_000,
    refetchInterval: 15_000,
  });
}

/** The newest deliveries of an endpoint; polled faster while some are pending. */
export function deliveriesOptions(webhookId: string) {
  return queryOptions({
    queryKey: queryKeys.webhooks.deliveries(webhookId),
    queryFn: ({ signal }) => fetchJson<WebhookDeliveryList>(`${hookBase(webhookId)}/deliveries?limit=50`, { signal }),
    refetchInterval: (query) =>
      query.state.data?.deliveries.some((delivery) => delivery.status === "pending") ? 2_000 : 10_000,
  });
}

export const createWebhook = (vaultId: string, body: CreateWebhookRequest) =>
  fetchJson<WebhookWithSecret>(vaultBase(vaultId), json("POST", body));
export const updateWebhook = (webhookId: string, body: UpdateWebhookRequest) =>
  fetchJson<WebhookEndpoint>(hookBase(webhookId), json("PATCH", body));
export const deleteWebhook = (webhookId: string) => fetchJson<WebhookDeleted>(hookBase(webhookId), json("DELETE"));
export const rotateWebhookSecret = (webhookId: string) =>
  fetchJson<WebhookWithSecret>(`${hookBase(webhookId)}/rotate-secret`, json("POST"));
export const testWebhook = (webhookId: string) =>
  fetchJson<WebhookDelivery>(`${hookBase(webhookId)}/test`, json("POST"));
export const redeliver = (webhookId: string, deliveryId: string) =>
  fetchJson<WebhookDelivery>(
    `${hookBase(webhookId)}/deliveries/${encodeURIComponent(deliveryId)}/redeliver`,
    json("POST"),
  );
