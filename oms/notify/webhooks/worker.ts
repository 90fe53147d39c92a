import type { Kysely } from "kysely";
import type { Logger } from "../../kernel/logger";
import { claimDueDeliveries, type DeliveryRow } from "./deliveries-repo";
import { type EndpointRow, endpointsRepo } from "./endpoints-repo";
import { type RetryPolicy, recordOutcome } from "./outcome";
import type { WebhookTables } from "./schema";
import { openSecret, signedHeaders } from "./secret";
import { sendWebhook } from "./sender";
import type { Resolver, TargetPolicy } from "./ssrf";

export interface DeliveryWorkerOptions {
  db: Kysely<WebhookTables>;
  masterKey: Uint8Array;
  owner: string;
  retry: RetryPolicy;
  target: TargetPolicy;
  timeoutMs: number;
  /** Deliveries in flight at once in this process. */
  concurrency: number;
  /** Fallback poll for due retries and other processes' dispatches. */
  tickMs: number;
  log: Logger;
  /** Told when an attempt tripped auto-disable (the owner is told from there). */
  onDisabled(endpoint: EndpointRow): Promise<void>;
  resolve?: Resolver;
}

export interface DeliveryWorker {
  /** Look for due deliveries now (after a dispatch or a redelivery). */
  kick(): void;
  stop(): Promise<void>;
}

/**
 * Claims due deliveries (leases, so several processes share the queue), signs and sends each, and
 * records the attempt. A lease outlives the send timeout, so a crashed process's claims run out and
 * are attempted again: at least once per delivery.
 */
export function startDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const endpoints = endpointsRepo(options.db);
  const leaseMs = options.timeoutMs * 2 + 5_000;
  const inFlight = new Set<Promise<void>>();
  let isPumping = false;
  let isAgain = false;
  let isStopped = false;

  async function deliver(delivery: DeliveryRow): Promise<void> {
    const endpoint = await endpoints.get(delivery.endpoint_id);
    if (!endpoint) return;
    const startedAt = new Date();
    const secret = openSecret(options.masterKey, endpoint.id, endpoint.encrypted_secret);
    const outcome = await sendWebhook({
      url: endpoint.url,
      body: delivery.payload,
      headers: signedHeaders(secret, delivery.id, startedAt, delivery.payload),
      timeoutMs: options.timeoutMs,
      policy: options.target,
      resolve: options.resolve,
    });
    const { disabled } = await recordOutcome(options.db, {
      delivery,
      owner: options.owner,
      outcome,
      startedAt,
      now: new Date(),
      policy: options.retry,
    });
    if (disabled) {
      options.log.warn("webhook endpoint disabled after sustained failure", {
        webhook_id: disabled.id,
        vault_id: disabled.vault_id,
      });
      await options.onDisabled(disabled);
    }
  }

  async function pump(): Promise<void> {
    if (isStopped) return;
    if (isPumping) {
      isAgain = true;
      return;
    }
    isPumping = true;
    try {
      do {
        isAgain = false;
        while (!isStopped && inFlight.size < options.concurrency) {
          const room = options.concurrency - inFlight.size;
          const claimed = await claimDueDeliveries(options.db, options.owner, new Date(), leaseMs, room);
          for (const delivery of claimed) {
            const task: Promise<void> = deliver(delivery)
              .catch((error: unknown) =>
                options.log.error("webhook delivery failed to run", {
                  delivery_id: delivery.id,
                  error: error instanceof Error ? error.message : String(error),
                }),
              )
              .finally(() => {
                inFlight.delete(task);
                void pump();
              });
            inFlight.add(task);
          }
          if (claimed.length < room) break;
        }
      } while (isAgain && !isStopped);
    } catch (error) {
      options.log.warn("webhook delivery claim failed", {
        error: error instanceof Error ? error.message : String(error),
      });
    } finally {
      isPumping = false;
    }
  }

  const timer = setInterval(() => void pump(), options.tickMs);
  void pump();
  return {
    kick: () => void pump(),
    async stop() {
      isStopped = true;
      clearInterval(timer);
      await Promise.allSettled([...inFlight]);
    },
  };
}
