import { z } from "zod";
import { IntentId, VaultId } from "@/lib/defix";

/** Path and query shapes of the BFF routes that lib/defix does not already define. */
export const IntentParams = z.object({ id: IntentId });
export const VaultParams = z.object({ vaultId: VaultId });
export const NoQuery = z.strictObject({});
/** `after`: resume the vault stream after an event position (like `Last-Event-ID`, which is forwarded too). */
export const StreamQuery = z.strictObject({
  vault_id: VaultId.optional(),
  after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
});
/**
 * `requested_expiry` is only bounded here (key set, length); the OMS parses it and answers a bad or
 * out-of-range duration with INVALID_EXPIRY and the allowed range, which the UI shows as is.
 */
export const ExpiryQuery = z.strictObject({ requested_expiry: z.string().min(1).max(32).optional() });
export const WebhookParams = z.object({ webhookId: z.string().regex(/^wh_[0-9a-f]{32}$/) });
export const DeliveryParams = WebhookParams.extend({ deliveryId: z.string().regex(/^msg_[0-9a-f]{32}$/) });
export const WebhookLogQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).optional(),
  cursor: z.string().max(200).optional(),
  status: z.enum(["pending", "succeeded", "failed"]).optional(),
});
export const AlertParams = z.object({ id: z.uuid() });
export const AlertStreamQuery = z.strictObject({ vault_id: VaultId.optional() });
