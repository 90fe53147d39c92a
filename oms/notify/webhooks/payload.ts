import type { AlertChange } from "../../../lib/defix/alerts";
import type { IntentEvent } from "../../../lib/defix/events";
import type { WebhookDeliveryType, WebhookPayload } from "../../../lib/defix/webhooks";

const short = (value: string) => (value.length > 14 ? `${value.slice(0, 8)}…${value.slice(-4)}` : value);

/** What an intent event delivers: the event as the API shows it, with its vault. */
export function eventPayload(event: IntentEvent & { vault_id: string }): WebhookPayload {
  const { vault_id, ...rest } = event;
  const error =
    "error" in event.payload && event.payload.error && typeof event.payload.error === "object"
      ? (event.payload.error as { code?: unknown }).code
      : undefined;
  const detail = typeof error === "string" ? ` (${error})` : "";
  return {
    type: "intent.event",
    timestamp: event.created_at,
    data: { vault_id, event: rest },
    text: `DeFiX: intent ${short(event.intent_id)} of vault ${short(vault_id)}: ${event.message_type}${detail}`,
  };
}

/** What an alert raise or resolve delivers; `text` reads well in Slack. */
export function alertPayload(change: AlertChange): WebhookPayload {
  const type: WebhookDeliveryType = change.change === "raised" ? "alert.raised" : "alert.resolved";
  const mark = change.change === "raised" ? (change.alert.severity === "critical" ? "🔴" : "🟠") : "✅";
  const verb = change.change === "raised" ? "" : "Resolved: ";
  return {
    type,
    timestamp: change.at,
    data: { position: change.position, change: change.change, alert: change.alert },
    text: `${mark} ${verb}${change.alert.title}: ${change.alert.message}`,
  };
}

export function testPayload(webhookId: string, vaultId: string, at: Date): WebhookPayload {
  return {
    type: "webhook.test",
    timestamp: at.toISOString(),
    data: { webhook_id: webhookId, vault_id: vaultId },
    text: `DeFiX: test delivery to webhook ${webhookId} of vault ${short(vaultId)}`,
  };
}

/** Whether a subscription list (`*` or names) takes `name`. */
export function subscribes(list: readonly string[], name: string): boolean {
  return list.includes("*") || list.includes(name);
}
