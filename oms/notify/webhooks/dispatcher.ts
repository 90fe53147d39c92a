import type { Kysely } from "kysely";
import type { Logger } from "../../kernel/logger";
import { advanceConsumer, leaseConsumer, releaseConsumer } from "../../store/consumers";
import { listEventsAfterPosition } from "../../store/events-repo";
import { headPosition } from "../../store/positions";
import type { Database } from "../../store/schema";
import { type DeliveryRow, deliveryRow, insertDeliveries } from "./deliveries-repo";
import { endpointsRepo } from "./endpoints-repo";
import { eventPayload, subscribes } from "./payload";
import { webhookDb } from "./schema";

export const DISPATCHER_CONSUMER = "webhooks";

export interface DispatcherOptions {
  db: Kysely<Database>;
  owner: string;
  log: Logger;
  /** Lease on the consumer; renewed every tick. */
  leaseMs: number;
  tickMs: number;
  pageSize: number;
  /** After deliveries were committed (wakes the delivery worker). */
  onDispatched(): void;
  /** Extra work of the lease holder each tick (alert changes, log retention). */
  alsoOnTick?: (holder: { owner: string }) => Promise<void>;
}

export interface Dispatcher {
  /** A cue that events committed (the event bus); the tick covers a missed one. */
  wake(): void;
  stop(): Promise<void>;
}

class LeaseLost extends Error {}

/**
 * The `webhooks` outbox consumer: turns committed events into one delivery row per matching enabled
 * endpoint, inserted in the same transaction as the cursor advance, so a crash re-dispatches the
 * page and the (endpoint, subject) unique index keeps it from duplicating. Only the lease holder runs.
 */
export function startDispatcher(options: DispatcherOptions): Dispatcher {
  const hooks = webhookDb(options.db);
  const endpoints = endpointsRepo(hooks);
  let isRunning = false;
  let isAgain = false;
  let isStopped = false;

  async function dispatchPage(position: number): Promise<number | null> {
    const events = await listEventsAfterPosition(options.db, position, "all", options.pageSize);
    const last = events.at(-1);
    if (!last?.position) return null;
    const vaults = [...new Set(events.map((event) => event.vault_id))];
    const targets = await endpoints.enabledFor(vaults);
    const now = new Date();
    const rows: DeliveryRow[] = [];
    for (const event of events) {
      for (const endpoint of targets) {
        if (endpoint.vault_id !== event.vault_id || (event.position ?? 0) <= endpoint.start_position) continue;
        if (!subscribes(JSON.parse(endpoint.event_types) as string[], event.message_type)) continue;
        const payload = JSON.stringify(eventPayload(event));
        rows.push(
          deliveryRow(
            {
              endpoint_id: endpoint.id,
              vault_id: event.vault_id,
              type: "intent.event",
              subject: event.event_id,
              payload,
            },
            now,
          ),
        );
      }
    }
    await options.db.transaction().execute(async (trx) => {
      await insertDeliveries(webhookDb(trx), rows);
      const isHeld = await advanceConsumer(trx, {
        name: DISPATCHER_CONSUMER,
        owner: options.owner,
        position: last.position ?? position,
        now,
      });
      if (!isHeld) throw new LeaseLost();
    });
    if (rows.length > 0) options.onDispatched();
    return last.position;
  }

  async function tick(): Promise<void> {
    if (isStopped) return;
    if (isRunning) {
      isAgain = true;
      return;
    }
    isRunning = true;
    try {
      do {
        isAgain = false;
        const lease = await leaseConsumer(options.db, {
          name: DISPATCHER_CONSUMER,
          owner: options.owner,
          now: new Date(),
          leaseMs: options.leaseMs,
          initialPosition: await headPosition(options.db),
        });
        if (!lease) return;
        let position = lease.position;
        for (;;) {
          const next = await dispatchPage(position);
          if (next === null || isStopped) break;
          position = next;
        }
        await options.alsoOnTick?.({ owner: options.owner });
      } while (isAgain && !isStopped);
    } catch (error) {
      if (error instanceof LeaseLost) options.log.warn("webhook dispatcher lost its lease; another process took over");
      else
        options.log.warn("webhook dispatch failed; retrying next tick", {
          error: error instanceof Error ? error.message : String(error),
        });
    } finally {
      isRunning = false;
    }
  }

  const timer = setInterval(() => void tick(), options.tickMs);
  void tick();
  return {
    wake: () => void tick(),
    async stop() {
      isStopped = true;
      clearInterval(timer);
      while (isRunning) await new Promise((resolve) => setTimeout(resolve, 20));
      await releaseConsumer(options.db, DISPATCHER_CONSUMER, options.owner).catch((error: unknown) =>
        options.log.warn("webhook dispatcher could not release its lease", {
          error: error instanceof Error ? error.message : String(error),
        }),
      );
    },
  };
}
