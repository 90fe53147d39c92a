import type { Kysely } from "kysely";
import { listEventHeadsAfterPosition, listEventsByIds } from "../../store/events-repo";
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
  /** The delivery's body; null when the source reads it only for the items some endpoint wants (`payloads`). */
  payload: string | null;
}

/** A positioned log the dispatcher tails as its own consumer (cursor and lease). */
export interface DispatchSource {
  consumer: string;
  head(db: Kysely<Database>): Promise<number>;
  page(db: Kysely<Database>, after: number, limit: number): Promise<SourceItem[]>;
  /** The bodies of items whose page left them null, by subject. */
  payloads(db: Kysely<Database>, items: readonly SourceItem[]): Promise<Map<string, string>>;
  /** Whether the endpoint subscribed to this item (and existed before it). */
  wants(endpoint: EndpointRow, item: SourceItem): boolean;
}

/**
 * Intent events, by event position (consumer `webhooks`). Woken on every commit, it reads only the page's heads
 * (no payload parsing): most events match no endpoint, and a deployment without webhooks reads no payload at all.
 */
export const eventSource: DispatchSource = {
  consumer: "webhooks",
  head: (db) => headPosition(db),
  async page(db, after, limit) {
    const heads = await listEventHeadsAfterPosition(db, after, limit);
    return heads.map((head) => ({
      position: head.position,
      vault_id: head.vault_id,
      type: "intent.event",
      subject: head.event_id,
      name: head.message_type,
      payload: null,
    }));
  },
  async payloads(db, items) {
    const events = await listEventsByIds(
      db,
      items.map((item) => item.subject),
    );
    return new Map(events.map((event) => [event.event_id, JSON.stringify(eventPayload(event))]));
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
  // Alert changes are read whole (they are few); every item carries its body already.
  payloads: async () => new Map(),
  wants: (endpoint, item) =>
    item.position > endpoint.start_alert_position &&
    subscribes(JSON.parse(endpoint.alert_kinds) as string[], item.name),
};
