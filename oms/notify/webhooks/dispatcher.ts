import type { Kysely } from "kysely";
import type { Logger } from "../../kernel/logger";
import type { Database } from "../../store/schema";
import {
  type ConsumerLoop,
  type ConsumerStatus,
  type CursorWriter,
  pageResult,
  type StepResult,
  startConsumerLoop,
} from "../consumer-loop";
import { type DeliveryRow, deliveryRow, insertDeliveries } from "./deliveries-repo";
import { endpointsRepo } from "./endpoints-repo";
import { webhookDb } from "./schema";
import type { DispatchSource } from "./sources";

export interface DispatcherOptions {
  db: Kysely<Database>;
  owner: string;
  log: Logger;
  /** The logs to tail, each its own consumer (cursor + lease). */
  sources: readonly DispatchSource[];
  /** Lease on each consumer; renewed once a third of it has passed. */
  leaseMs: number;
  tickMs: number;
  pageSize: number;
  /** After deliveries were committed (wakes the delivery worker). */
  onDispatched(): void;
  /** Extra work after each pass of the holder of the first source's lease (log retention). */
  afterPass?: () => Promise<void>;
}

export interface Dispatcher {
  /**
   * A cue that the log of the source named `consumer` grew (all sources when none is named): the event bus
   * cues `webhooks`, the alert feed `webhooks-alerts`. Only cued sources are read; each source's tick covers a
   * missed cue.
   */
  wake(consumer?: string): void;
  /** This process's view of each source's consumer (for `/health`). */
  statuses(): ConsumerStatus[];
  stop(): Promise<void>;
}

/**
 * The webhook outbox consumers (`webhooks` for events, `webhooks-alerts` for alert changes), one consumer loop
 * each: a page's items become one delivery row per matching enabled endpoint, inserted in the same transaction
 * as the cursor advance, so a crash re-dispatches the page and the (endpoint, subject) unique index keeps it from
 * duplicating. Only the holder of a consumer's lease runs it.
 */
export function startDispatcher(options: DispatcherOptions): Dispatcher {
  const endpoints = endpointsRepo(webhookDb(options.db));

  /** One page: its deliveries and the cursor in one transaction; a page without deliveries writes nothing here. */
  async function dispatchPage(source: DispatchSource, position: number, cursor: CursorWriter): Promise<StepResult> {
    const items = await source.page(options.db, position, options.pageSize);
    const last = items.at(-1);
    if (!last) return pageResult(position, 0, options.pageSize);
    const targets = await endpoints.enabledFor([...new Set(items.map((item) => item.vault_id))]);
    const now = new Date();
    const matches = items.flatMap((item) =>
      targets
        .filter((endpoint) => endpoint.vault_id === item.vault_id && source.wants(endpoint, item))
        .map((endpoint) => ({ item, endpoint })),
    );
    const unread = [...new Set(matches.map(({ item }) => item).filter((item) => item.payload === null))];
    const loaded = unread.length > 0 ? await source.payloads(options.db, unread) : new Map<string, string>();
    const rows: DeliveryRow[] = matches.map(({ item, endpoint }) => {
      const payload = item.payload ?? loaded.get(item.subject);
      // Events are never deleted: a head read a moment ago has its payload.
      if (payload === undefined) throw new Error(`webhooks: no payload for ${item.type} ${item.subject}`);
      const { vault_id, type, subject } = item;
      return deliveryRow({ endpoint_id: endpoint.id, vault_id, type, subject, payload }, now);
    });
    if (rows.length > 0) {
      await options.db.transaction().execute(async (trx) => {
        await insertDeliveries(webhookDb(trx), rows);
        await cursor.writeIn(trx, last.position);
      });
      options.onDispatched();
    }
    return pageResult(last.position, items.length, options.pageSize);
  }

  const loops = new Map<string, ConsumerLoop>(
    options.sources.map((source, index) => [
      source.consumer,
      startConsumerLoop({
        db: options.db,
        name: source.consumer,
        owner: options.owner,
        leaseMs: options.leaseMs,
        tickMs: options.tickMs,
        // A first start delivers what happens from now on, not the log's history.
        initialPosition: () => source.head(options.db),
        step: (position, cursor) => dispatchPage(source, position, cursor),
        afterPass: index === 0 ? options.afterPass : undefined,
        log: options.log,
      }),
    ]),
  );

  return {
    wake(consumer) {
      if (consumer === undefined) for (const loop of loops.values()) loop.wake();
      else loops.get(consumer)?.wake();
    },
    statuses: () => [...loops.values()].map((loop) => loop.status()),
    async stop() {
      await Promise.all([...loops.values()].map((loop) => loop.stop()));
    },
  };
}
