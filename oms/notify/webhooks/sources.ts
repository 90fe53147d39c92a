import type { Kysely } from "kysely";
import { listEventsAfterPosition } from "../../store/events-repo";
import { headPosition } from "../../store/positions";
import type { Database } from "../../store/schema";
import { alertChangesHead, listAlertChangesAfter } from "../alerts/changes";
import type { EndpointRow } from "./endpoints-repo";
import { alertPayload, eventPayload, subscribes } from "./payload";
import type { WebhookDeliveriesTable } from "./schema";

/** One thing a delivery carries, read from a positioned log. */
export interface SourceItem {
  position: number;
  vault_id: string;
  type: WebhookDeliveriesTable["type"];
  /** Unique per endpoint: a re-dispatch of the same item adds nothing. */
  subject: string;
  /** The message type or alert kind subscriptions match. */
  name: string;
  payload: string;
}

/** A positioned log the dispatcher tails as its own consumer (cursor and lease). */
export interface DispatchSource {
  consumer: string;
  head(db: Kysely<Database>): Promise<number>;
  page(db: Kysely<Database>, after: number, limit: number): Promise<SourceItem[]>;
  /** Whether the endpoint subscribed to this item (and existed before it). */
  wants(endpoint: EndpointRow, item: SourceItem): boolean;
}

/** Intent events, by event position (consumer `webhooks`). */
export const eventSource: DispatchSource = {
  consumer: "webhooks",
  head: (db) => headPosition(db),
  async page(db, after, limit) {
    const events = await listEventsAfterPosition(db, after, "all", limit);
    return events.map((event) => ({
      position: event.position ?? 0,
      vault_id: event.vault_id,
      type: "intent.event",
      subject: event.event_id,
      name: event.message_type,
      payload: JSON.stringify(eventPayload(event)),
    }));
  },
  wants: (endpoint, item) =>
    item.position > endpoint.start_position && subscribes(JSON.parse(endpoint.event_types) as string[], item.name),
};

/** Alert raises and resolves, by alert-change position (consumer `webhooks-alerts`). */
export const alertSource: DispatchSource = {
  consumer: "webhooks-alerts",
  head: (db) => alertChangesHead(db),
  async page(db, after, limit) {
    const changes = await listAlertChangesAfter(db, after, limit);
    return changes.map((change) => {
      const payload = alertPayload(change);
      return {
        position: change.position,
        vault_id: change.alert.vault_id,
        type: payload.type,
        subject: `alert-change:${change.position}`,
        name: change.alert.kind,
        payload: JSON.stringify(payload),
      };
    });
  },
  wants: (endpoint, item) =>
    item.position > endpoint.start_alert_position &&
    subscribes(JSON.parse(endpoint.alert_kinds) as string[], item.name),
};
