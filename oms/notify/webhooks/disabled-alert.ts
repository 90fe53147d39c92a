import type { Kysely } from "kysely";
import type { Database } from "../../store/schema";
import { raiseAlert, resolveAlert } from "../alerts/changes";
import type { EndpointRow } from "./endpoints-repo";

const keyOf = (endpointId: string) => `WEBHOOK_DISABLED:${endpointId}`;

/** Tells the vault's managers an endpoint was auto-disabled: a WEBHOOK_DISABLED alert (raised once). */
export async function raiseWebhookDisabled(db: Kysely<Database>, endpoint: EndpointRow, now: Date): Promise<void> {
  await raiseAlert(db, {
    vault_id: endpoint.vault_id,
    kind: "WEBHOOK_DISABLED",
    key: keyOf(endpoint.id),
    severity: "warning",
    title: "Webhook endpoint disabled",
    message: `Deliveries to ${endpoint.url} kept failing, so the endpoint was disabled. Fix the receiver and enable it again on the vault's Webhooks page.`,
    details: { webhook_id: endpoint.id, url: endpoint.url, reason: endpoint.disabled_reason },
    now,
  });
}

/** The endpoint was enabled again or deleted: its WEBHOOK_DISABLED alert (if open) is resolved. */
export async function resolveWebhookDisabled(db: Kysely<Database>, endpointId: string, now: Date): Promise<void> {
  await resolveAlert(db, { key: keyOf(endpointId), now });
}
