import type { Kysely, Transaction } from "kysely";
import type { WebhookDeliveryStatus, WebhookDeliveryType } from "../../../lib/defix/webhooks";
import type { Database } from "../../store/schema";

/** One subscribed endpoint. `encrypted_secret` is sealed with the OMS master key; plaintext never touches the DB. */
export interface WebhookEndpointsTable {
  id: string;
  vault_id: string;
  url: string;
  description: string;
  enabled: number;
  /** JSON arrays of message types / alert kinds (`*` for all). */
  event_types: string;
  alert_kinds: string;
  encrypted_secret: string;
  /** Events at or below this position (the head when it was created) are not delivered to it. */
  start_position: number;
  /** Likewise for alert changes (by alert-change position). */
  start_alert_position: number;
  disabled_reason: string | null;
  disabled_at: string | null;
  consecutive_failures: number;
  /** First failed attempt of the current failure streak (null after a success). */
  failing_since: string | null;
  last_success_at: string | null;
  last_failure_at: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface WebhookDeliveriesTable {
  id: string;
  endpoint_id: string;
  vault_id: string;
  type: WebhookDeliveryType;
  /** What it carries (event id, alert change, `test:<id>`): unique per endpoint, so a re-dispatch adds nothing. */
  subject: string;
  /** The JSON body, fixed at dispatch so every attempt sends the same bytes. */
  payload: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  next_attempt_at: string | null;
  lease_owner: string | null;
  lease_expires_at: string | null;
  last_status_code: number | null;
  last_latency_ms: number | null;
  last_error: string | null;
  created_at: string;
  completed_at: string | null;
}

export interface WebhookAttemptsTable {
  id: string;
  delivery_id: string;
  endpoint_id: string;
  attempt: number;
  at: string;
  status_code: number | null;
  latency_ms: number;
  response_excerpt: string;
  error: string | null;
  succeeded: number;
}

export interface WebhookTables {
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
}

/**
 * The OMS database type is the store's, which does not list these tables, and Kysely's type is
 * invariant in it; this is the one place that narrows it. Sound because `webhooksMigration` creates
 * these tables and the webhook modules touch no others (the cursor goes through `oms/store`).
 */
export function webhookDb(db: Kysely<Database> | Transaction<Database>): Kysely<WebhookTables> {
  return db as unknown as Kysely<WebhookTables>;
}
