import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { ErrorCode } from "../../../lib/defix/errors";
import type {
  CreateWebhookRequest,
  UpdateWebhookRequest,
  WebhookDelivery,
  WebhookDeliveryList,
  WebhookDeliveryStatus,
  WebhookEndpoint,
  WebhookList,
  WebhookWithSecret,
} from "../../../lib/defix/webhooks";
import { DomainError } from "../../kernel/errors";
import { headPosition } from "../../store/positions";
import type { Database } from "../../store/schema";
import { alertChangesHead } from "../alerts/changes";
import {
  attemptsOf,
  countPendingTests,
  deliveryRow,
  deliveryToWire,
  getDelivery,
  insertDeliveries,
  listDeliveryLog,
  requeueDelivery,
} from "./deliveries-repo";
import { resolveWebhookDisabled } from "./disabled-alert";
import { type EndpointRow, endpointsRepo, endpointToWire } from "./endpoints-repo";
import { testPayload } from "./payload";
import { webhookDb } from "./schema";
import { generateSecret, sealSecret } from "./secret";
import { checkWebhookTarget, type Resolver, type TargetPolicy } from "./ssrf";

export interface WebhookServiceConfig {
  maxPerVault: number;
  target: TargetPolicy;
  /** The dev receiver's URL (`npm start`), offered by the console; null in production. */
  suggestedUrl: string | null;
  /** Test pings an endpoint may have waiting at once. */
  maxPendingTests: number;
}

type CreateInput = Required<Omit<CreateWebhookRequest, "description">> & { description: string };
type UpdateInput = UpdateWebhookRequest;

export type WebhookService = ReturnType<typeof createWebhookService>;

/** What the webhook routes call; authorization happens in the routes, on the endpoint's vault. */
export function createWebhookService(deps: {
  db: Kysely<Database>;
  masterKey: Uint8Array;
  config: WebhookServiceConfig;
  /** Wakes the delivery worker after a test ping or a redelivery. */
  kick(): void;
  resolve?: Resolver;
}) {
  const hooks = webhookDb(deps.db);
  const endpoints = endpointsRepo(hooks);
  const check = (url: string) => checkWebhookTarget(url, deps.config.target, deps.resolve);

  async function endpoint(id: string): Promise<EndpointRow> {
    const row = await endpoints.get(id);
    if (!row) throw new DomainError(ErrorCode.WEBHOOK_NOT_FOUND, `Webhook ${id} does not exist`);
    return row;
  }

  async function withSecret(row: EndpointRow, secret: string): Promise<WebhookWithSecret> {
    return { ...endpointToWire(row), secret };
  }

  return {
    /** The endpoint's vault, for the route's role check (404 when it does not exist). */
    async vaultOf(id: string): Promise<string> {
      return (await endpoint(id)).vault_id;
    },

    async list(vaultId: string): Promise<WebhookList> {
      const rows = await endpoints.listByVault(vaultId);
      return {
        webhooks: rows.map(endpointToWire),
        max_per_vault: deps.config.maxPerVault,
        suggested_url: deps.config.suggestedUrl,
      };
    },

    async get(id: string): Promise<WebhookEndpoint> {
      return endpointToWire(await endpoint(id));
    },

    /** Creates an endpoint; the answer carries the secret, which is never shown again. */
    async create(vaultId: string, input: CreateInput, actor: string): Promise<WebhookWithSecret> {
      const url = await check(input.url);
      if ((await endpoints.countByVault(vaultId)) >= deps.config.maxPerVault) {
        throw new DomainError(
          ErrorCode.WEBHOOK_LIMIT_REACHED,
          `A vault may have ${deps.config.maxPerVault} webhook endpoints; delete one first`,
        );
      }
      const id = `wh_${randomUUID().replaceAll("-", "")}`;
      const secret = generateSecret();
      const at = new Date().toISOString();
      const row: EndpointRow = {
        id,
        vault_id: vaultId,
        url: url.toString(),
        description: input.description,
        enabled: input.enabled ? 1 : 0,
        event_types: JSON.stringify([...new Set(input.event_types)]),
        alert_kinds: JSON.stringify([...new Set(input.alert_kinds)]),
        encrypted_secret: sealSecret(deps.masterKey, id, secret),
        start_position: await headPosition(deps.db),
        start_alert_position: await alertChangesHead(deps.db),
        disabled_reason: input.enabled ? null : `Created disabled by ${actor}`,
        disabled_at: input.enabled ? null : at,
        consecutive_failures: 0,
        failing_since: null,
        last_success_at: null,
        last_failure_at: null,
        created_by: actor,
        created_at: at,
        updated_at: at,
      };
      await endpoints.insert(row);
      // Two concurrent creates may both pass the count above; the later one backs out here.
      if ((await endpoints.countByVault(vaultId)) > deps.config.maxPerVault) {
        await endpoints.remove(id);
        throw new DomainError(
          ErrorCode.WEBHOOK_LIMIT_REACHED,
          `A vault may have ${deps.config.maxPerVault} webhook endpoints; delete one first`,
        );
      }
      return withSecret(row, secret);
    },

    async update(id: string, input: UpdateInput, actor: string): Promise<WebhookEndpoint> {
      const current = await endpoint(id);
      const at = new Date().toISOString();
      const changes: Partial<EndpointRow> = { updated_at: at };
      if (input.url !== undefined) changes.url = (await check(input.url)).toString();
      if (input.description !== undefined) changes.description = input.description;
      if (input.event_types !== undefined) changes.event_types = JSON.stringify([...new Set(input.event_types)]);
      if (input.alert_kinds !== undefined) changes.alert_kinds = JSON.stringify([...new Set(input.alert_kinds)]);
      if (input.enabled === true && current.enabled !== 1) {
        Object.assign(changes, {
          enabled: 1,
          disabled_reason: null,
          disabled_at: null,
          consecutive_failures: 0,
          failing_since: null,
        });
      } else if (input.enabled === false && current.enabled === 1) {
        Object.assign(changes, { enabled: 0, disabled_reason: `Disabled by ${actor}`, disabled_at: at });
      }
      const row = await endpoints.update(id, changes);
      if (!row) throw new DomainError(ErrorCode.WEBHOOK_NOT_FOUND, `Webhook ${id} does not exist`);
      if (changes.enabled === 1) {
        await resolveWebhookDisabled(deps.db, id, new Date());
        deps.kick();
      }
      return endpointToWire(row);
    },

    async remove(id: string): Promise<void> {
      if (!(await endpoints.remove(id)))
        throw new DomainError(ErrorCode.WEBHOOK_NOT_FOUND, `Webhook ${id} does not exist`);
    },

    async rotateSecret(id: string): Promise<WebhookWithSecret> {
      await endpoint(id);
      const secret = generateSecret();
      const row = await endpoints.update(id, {
        encrypted_secret: sealSecret(deps.masterKey, id, secret),
        updated_at: new Date().toISOString(),
      });
      if (!row) throw new DomainError(ErrorCode.WEBHOOK_NOT_FOUND, `Webhook ${id} does not exist`);
      return withSecret(row, secret);
    },

    /** Queues a `webhook.test` delivery, signed and logged like any other. */
    async test(id: string): Promise<WebhookDelivery> {
      const row = await endpoint(id);
      if (row.enabled !== 1) throw new DomainError(ErrorCode.WEBHOOK_DISABLED, "Enable the endpoint before testing it");
      if ((await countPendingTests(hooks, id)) >= deps.config.maxPendingTests) {
        throw new DomainError(ErrorCode.WEBHOOK_DELIVERY_PENDING, "Earlier test deliveries are still pending");
      }
      const now = new Date();
      const delivery = deliveryRow(
        {
          endpoint_id: id,
          vault_id: row.vault_id,
          type: "webhook.test",
          subject: `test:${randomUUID()}`,
          payload: JSON.stringify(testPayload(id, row.vault_id, now)),
        },
        now,
      );
      await insertDeliveries(hooks, [delivery]);
      deps.kick();
      return deliveryToWire(delivery, []);
    },

    async deliveries(
      id: string,
      query: { limit: number; cursor?: string; status?: WebhookDeliveryStatus },
    ): Promise<WebhookDeliveryList> {
      await endpoint(id);
      const page = await listDeliveryLog(hooks, id, {
        limit: query.limit,
        before: query.cursor ? decodeCursor(query.cursor) : null,
        status: query.status,
      });
      return { deliveries: page.deliveries, next_cursor: page.next ? encodeCursor(page.next) : null };
    },

    async delivery(id: string, deliveryId: string): Promise<WebhookDelivery> {
      const row = await getDelivery(hooks, deliveryId);
      if (!row || row.endpoint_id !== id) {
        throw new DomainError(ErrorCode.WEBHOOK_DELIVERY_NOT_FOUND, `Delivery ${deliveryId} does not exist`);
      }
      return deliveryToWire(row, (await attemptsOf(hooks, [row.id])).get(row.id) ?? []);
    },

    /** Sends a finished delivery again (same `webhook-id`, so receivers can tell it is the same message). */
    async redeliver(id: string, deliveryId: string): Promise<WebhookDelivery> {
      const row = await endpoint(id);
      const delivery = await getDelivery(hooks, deliveryId);
      if (!delivery || delivery.endpoint_id !== id) {
        throw new DomainError(ErrorCode.WEBHOOK_DELIVERY_NOT_FOUND, `Delivery ${deliveryId} does not exist`);
      }
      if (row.enabled !== 1)
        throw new DomainError(ErrorCode.WEBHOOK_DISABLED, "Enable the endpoint before redelivering");
      const requeued = await requeueDelivery(hooks, deliveryId, new Date());
      if (!requeued) throw new DomainError(ErrorCode.WEBHOOK_DELIVERY_PENDING, "The delivery is already pending");
      deps.kick();
      return deliveryToWire(requeued, (await attemptsOf(hooks, [deliveryId])).get(deliveryId) ?? []);
    },
  };
}

function encodeCursor(position: { created_at: string; id: string }): string {
  return Buffer.from(`${position.created_at}|${position.id}`, "utf8").toString("base64url");
}

function decodeCursor(cursor: string): { created_at: string; id: string } {
  const [createdAt, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  if (!createdAt || !id || Number.isNaN(Date.parse(createdAt))) {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, "Invalid query.cursor: not a cursor this endpoint issued");
  }
  return { created_at: createdAt, id };
}
