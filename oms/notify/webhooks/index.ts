import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Logger } from "../../kernel/logger";
import type { Database } from "../../store/schema";
import type { ConsumerStatus } from "../consumer-loop";
import { pruneDeliveryLog } from "./deliveries-repo";
import { raiseWebhookDisabled } from "./disabled-alert";
import { type Dispatcher, startDispatcher } from "./dispatcher";
import type { EndpointRow } from "./endpoints-repo";
import { DEFAULT_RETRY_SCHEDULE_MS, type RetryPolicy } from "./outcome";
import { webhookDb } from "./schema";
import { createWebhookService, type WebhookService } from "./service";
import { alertSource, eventSource } from "./sources";
import type { Resolver } from "./ssrf";
import { type DeliveryWorker, startDeliveryWorker } from "./worker";

export type { WebhookService } from "./service";

export interface WebhooksOptions {
  allowPrivateTargets: boolean;
  maxPerVault: number;
  timeoutMs: number;
  retryScheduleMs: readonly number[] | null;
  disableAfterFailures: number;
  disableAfterMs: number;
  retentionMs: number;
  /** 0: this process dispatches and serves the API but delivers nothing. */
  concurrency: number;
  suggestedUrl: string | null;
  /** Retry jitter (default ±20 %). */
  jitter?: number;
  /** Poll interval of the dispatcher and the workers (default 1 s). */
  tickMs?: number;
  resolve?: Resolver;
}

export interface Webhooks {
  service: WebhookService;
  /** A cue that events committed (subscribe it to the event bus). */
  wakeEvents(): void;
  /** A cue that alert changes committed (subscribe it to the alert feed). */
  wakeAlerts(): void;
  /** The dispatcher's consumers as this process sees them (`/health`). */
  statuses(): ConsumerStatus[];
  stop(): Promise<void>;
}

const PRUNE_EVERY_MS = 10 * 60_000;
const KEEP_PER_ENDPOINT = 1_000;

/**
 * Signed webhooks in one OMS process: the API's service, the `webhooks` dispatcher (runs where its
 * lease is held) and a delivery worker (every process with `concurrency > 0`; claims keep them apart).
 */
export function startWebhooks(deps: {
  db: Kysely<Database>;
  masterKey: Uint8Array;
  log: Logger;
  options: WebhooksOptions;
  /** Also told when auto-disable tripped (after the WEBHOOK_DISABLED alert is raised). */
  onDisabled?: (endpoint: EndpointRow) => Promise<void>;
}): Webhooks {
  const { options } = deps;
  const owner = `webhooks-${randomUUID()}`;
  const tickMs = options.tickMs ?? 1_000;
  const retry: RetryPolicy = {
    retryScheduleMs: options.retryScheduleMs ?? DEFAULT_RETRY_SCHEDULE_MS,
    jitter: options.jitter ?? 0.2,
    disableAfterFailures: options.disableAfterFailures,
    disableAfterMs: options.disableAfterMs,
  };
  const target = { allowPrivate: options.allowPrivateTargets };
  let worker: DeliveryWorker | null = null;
  const kick = () => worker?.kick();
  if (options.concurrency > 0) {
    worker = startDeliveryWorker({
      db: webhookDb(deps.db),
      masterKey: deps.masterKey,
      owner,
      retry,
      target,
      timeoutMs: options.timeoutMs,
      concurrency: options.concurrency,
      tickMs,
      log: deps.log,
      onDisabled: async (endpoint) => {
        await raiseWebhookDisabled(deps.db, endpoint, new Date());
        await deps.onDisabled?.(endpoint);
      },
      resolve: options.resolve,
    });
  }
  let lastPrune = 0;
  const dispatcher: Dispatcher = startDispatcher({
    db: deps.db,
    sources: [eventSource, alertSource],
    owner,
    log: deps.log,
    leaseMs: Math.max(10_000, tickMs * 10),
    tickMs,
    pageSize: 500,
    onDispatched: kick,
    async afterPass() {
      if (Date.now() - lastPrune < PRUNE_EVERY_MS) return;
      lastPrune = Date.now();
      await pruneDeliveryLog(webhookDb(deps.db), new Date(), {
        maxAgeMs: options.retentionMs,
        keepPerEndpoint: KEEP_PER_ENDPOINT,
      });
    },
  });
  const service = createWebhookService({
    db: deps.db,
    masterKey: deps.masterKey,
    config: {
      maxPerVault: options.maxPerVault,
      target,
      suggestedUrl: options.suggestedUrl,
      maxPendingTests: 3,
    },
    kick,
    resolve: options.resolve,
  });
  return {
    service,
    wakeEvents: () => dispatcher.wake(eventSource.consumer),
    wakeAlerts: () => dispatcher.wake(alertSource.consumer),
    statuses: () => dispatcher.statuses(),
    async stop() {
      await dispatcher.stop();
      await worker?.stop();
    },
  };
}
