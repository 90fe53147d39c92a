import { z } from "zod";
import { WEBHOOK_DESCRIPTION_MAX, WEBHOOK_URL_MAX } from "./alert-lists";
import { AlertKind } from "./alerts";
import { IsoDateTime, VaultId } from "./common";
import { MessageType } from "./events";

/**
 * Signed webhooks (issue 18; docs/ARCHITECTURE.md, "Webhooks"). A vault's managers subscribe HTTPS
 * endpoints to event message types and alert kinds; the OMS signs each delivery the Standard Webhooks
 * way (`webhook-id`, `webhook-timestamp`, `webhook-signature`) with the endpoint's `whsec_…` secret.
 */

export { WEBHOOK_DESCRIPTION_MAX, WEBHOOK_URL_MAX };

/** `*` subscribes to every message type / alert kind, including ones added later. */
export const WebhookEventType = z.union([MessageType, z.literal("*")]);
export const WebhookAlertKind = z.union([AlertKind, z.literal("*")]);

const EventTypes = z
  .array(WebhookEventType)
  .max(MessageType.options.length + 1)
  .describe("Intent event message types to deliver; `*` for all; [] for none");
const AlertKinds = z
  .array(WebhookAlertKind)
  .max(AlertKind.options.length + 1)
  .describe("Alert kinds whose raise and resolve are delivered; `*` for all; [] for none");
const Url = z.string().trim().min(1).max(WEBHOOK_URL_MAX);
const Description = z.string().trim().max(WEBHOOK_DESCRIPTION_MAX);

export const CreateWebhookRequest = z.strictObject({
  url: Url.describe("https:// endpoint (http:// and private targets only when the OMS allows them, in dev)"),
  description: Description.default(""),
  enabled: z.boolean().default(true),
  event_types: EventTypes.default(["*"]),
  alert_kinds: AlertKinds.default(["*"]),
});
export type CreateWebhookRequest = z.input<typeof CreateWebhookRequest>;

export const UpdateWebhookRequest = z
  .strictObject({
    url: Url.optional(),
    description: Description.optional(),
    /** `true` re-enables an endpoint that was disabled (by hand or after sustained failure). */
    enabled: z.boolean().optional(),
    event_types: EventTypes.optional(),
    alert_kinds: AlertKinds.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, "nothing to change");
export type UpdateWebhookRequest = z.input<typeof UpdateWebhookRequest>;

export const WebhookEndpoint = z.object({
  webhook_id: z.string(),
  vault_id: VaultId,
  url: z.string(),
  description: z.string(),
  enabled: z.boolean(),
  /** Why it is disabled (`null` while enabled): by whom, or the failure rule that tripped. */
  disabled_reason: z.string().nullable(),
  disabled_at: IsoDateTime.nullable(),
  event_types: z.array(WebhookEventType),
  alert_kinds: z.array(WebhookAlertKind),
  /** Failed attempts since the last success (auto-disable counts these). */
  consecutive_failures: z.number().int().nonnegative(),
  last_success_at: IsoDateTime.nullable(),
  last_failure_at: IsoDateTime.nullable(),
  created_by: z.string(),
  created_at: IsoDateTime,
  updated_at: IsoDateTime,
});
export type WebhookEndpoint = z.infer<typeof WebhookEndpoint>;

/** The create and rotate-secret answers: the only time the secret leaves the OMS. */
export const WebhookWithSecret = WebhookEndpoint.extend({
  secret: z.string().regex(/^whsec_[A-Za-z0-9+/=]+$/),
});
export type WebhookWithSecret = z.infer<typeof WebhookWithSecret>;

export const WebhookList = z.object({
  webhooks: z.array(WebhookEndpoint),
  /** Endpoints a vault may have. */
  max_per_vault: z.number().int().positive(),
  /** A local receiver the dev stack runs (`npm start`), offered as the URL in dev; null otherwise. */
  suggested_url: z.string().nullable(),
});
export type WebhookList = z.infer<typeof WebhookList>;

export const WebhookDeliveryType = z.enum(["intent.event", "alert.raised", "alert.resolved", "webhook.test"]);
export type WebhookDeliveryType = z.infer<typeof WebhookDeliveryType>;

/** `pending`: waiting for its (next) attempt; `succeeded`: a 2xx; `failed`: retries exhausted. */
export const WebhookDeliveryStatus = z.enum(["pending", "succeeded", "failed"]);
export type WebhookDeliveryStatus = z.infer<typeof WebhookDeliveryStatus>;

export const WebhookAttempt = z.object({
  attempt: z.number().int().positive(),
  at: IsoDateTime,
  /** HTTP status; null when no response came (refused, timeout, SSRF check). */
  status_code: z.number().int().nullable(),
  latency_ms: z.number().int().nonnegative(),
  /** The first bytes of the response body, control characters removed. */
  response_excerpt: z.string(),
  error: z.string().nullable(),
  succeeded: z.boolean(),
});
export type WebhookAttempt = z.infer<typeof WebhookAttempt>;

export const WebhookDelivery = z.object({
  delivery_id: z.string(),
  webhook_id: z.string(),
  type: WebhookDeliveryType,
  /** What it carries: the event id, the alert change, or `test`. */
  subject: z.string(),
  status: WebhookDeliveryStatus,
  attempts: z.number().int().nonnegative(),
  next_attempt_at: IsoDateTime.nullable(),
  last_status_code: z.number().int().nullable(),
  last_latency_ms: z.number().int().nullable(),
  last_error: z.string().nullable(),
  created_at: IsoDateTime,
  completed_at: IsoDateTime.nullable(),
  attempt_log: z.array(WebhookAttempt),
});
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

/** The answer to deleting an endpoint. */
export const WebhookDeleted = z.object({ deleted: z.literal(true) });
export type WebhookDeleted = z.infer<typeof WebhookDeleted>;

export const WebhookDeliveryList = z.object({
  deliveries: z.array(WebhookDelivery),
  next_cursor: z.string().nullable(),
});
export type WebhookDeliveryList = z.infer<typeof WebhookDeliveryList>;

/**
 * The body every delivery carries (Standard Webhooks' `{type, timestamp, data}`), plus `text`: one
 * line a Slack incoming webhook shows as is.
 */
export const WebhookPayload = z.object({
  type: WebhookDeliveryType,
  timestamp: IsoDateTime,
  data: z.record(z.string(), z.unknown()),
  text: z.string(),
});
export type WebhookPayload = z.infer<typeof WebhookPayload>;
