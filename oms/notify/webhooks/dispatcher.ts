import type { Kysely } from "kysely";
import type { Logger } from "../../kernel/logger";
import { advanceConsumer, leaseConsumer, releaseConsumer } from "../../store/consumers";
import type { Database } from "../../store/schema";
import {
  type ConsumerStatus,
  CURSOR_STORE_MS,
  PASS_SPACING_MS,
  pageResult,
  pause,
  type StepResult,
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
  /** Lease on each consumer; renewed on a tick once a third of it has passed. */
  leaseMs: number;
  tickMs: number;
  pageSize: number;
  /** After deliveries were committed (wakes the delivery worker). */
  onDispatched(): void;
  /** Extra work each tick of the holder of the first source's lease (log retention). */
  alsoOnTick?: () => Promise<void>;
}

export interface Dispatcher {
  /**
   * A cue that the log of the source named `consumer` grew (all sources when none is named): the event bus
   * cues `webhooks`, the alert feed `webhooks-alerts`. Only cued sources are read; the tick reads all of them
   * and covers a missed cue.
   */
  wake(consumer?: string): void;
  /** This process's view of each source's consumer (for `/health`). */
  statuses(): ConsumerStatus[];
  stop(): Promise<void>;
}

class LeaseLost extends Error {}

/**
 * The webhook outbox consumers (`webhooks` for events, `webhooks-alerts` for alert changes): each
 * turns its log's items into one delivery row per matching enabled endpoint, inserted in the same
 * transaction as its cursor advance, so a crash re-dispatches the page and the (endpoint, subject)
 * unique index keeps it from duplicating. Only the holder of a consumer's lease runs it.
 */
export function startDispatcher(options: DispatcherOptions): Dispatcher {
  const endpoints = endpointsRepo(webhookDb(options.db));
  let isRunning = false;
  let isAgain = false;
  let isStopped = false;
  const statusOf = new Map<string, ConsumerStatus>(
    options.sources.map((source) => [
      source.consumer,
      { name: source.consumer, holding: false, position: null, error: null },
    ]),
  );
  /**
   * Leases this process holds: the last position handled, when the lease was last taken or renewed, and the cursor
   * as last written (pages without deliveries write it at most every `CURSOR_STORE_MS`, see consumer-loop.ts).
   */
  const held = new Map<string, { position: number; leasedAtMs: number; stored: number; storedAtMs: number }>();
  const setStatus = (name: string, patch: Partial<ConsumerStatus>) => {
    const current = statusOf.get(name);
    if (current) statusOf.set(name, { ...current, ...patch });
  };

  /** One page: its deliveries and the cursor in one transaction; a page without deliveries writes nothing. */
  async function dispatchPage(
    source: DispatchSource,
    position: number,
  ): Promise<(StepResult & { isStored: boolean }) | null> {
    const items = await source.page(options.db, position, options.pageSize);
    const last = items.at(-1);
    if (!last) return null;
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
    const result = pageResult(last.position, items.length, options.pageSize);
    // Nothing to insert (most pages: no endpoint wants their events): the cursor is written later (`storeCursor`).
    if (rows.length === 0) return { ...result, isStored: false };
    const advance = { name: source.consumer, owner: options.owner, position: last.position, now };
    await options.db.transaction().execute(async (trx) => {
      await insertDeliveries(webhookDb(trx), rows);
      if (!(await advanceConsumer(trx, advance))) throw new LeaseLost();
    });
    options.onDispatched();
    return { ...result, isStored: true };
  }

  /** Writes a held source's cursor if it moved and `isDue` or `CURSOR_STORE_MS` has passed since the last write. */
  async function storeCursor(source: DispatchSource, isDue: boolean): Promise<void> {
    const lease = held.get(source.consumer);
    if (lease === undefined || lease.position === lease.stored) return;
    if (!isDue && Date.now() - lease.storedAtMs < CURSOR_STORE_MS) return;
    const now = new Date();
    const advance = { name: source.consumer, owner: options.owner, position: lease.position, now };
    if (!(await advanceConsumer(options.db, advance))) throw new LeaseLost();
    held.set(source.consumer, { ...lease, stored: lease.position, storedAtMs: now.getTime() });
  }

  /**
   * The source's cursor if this process holds its lease, renewed once a third of it has passed (as the
   * consumer loop does) rather than on every wake: the bus wakes the dispatcher on every commit, and each
   * renewal was a durable write on the store every engine commit queues behind.
   */
  async function leasedPosition(source: DispatchSource): Promise<number | null> {
    const nowMs = Date.now();
    const cached = held.get(source.consumer);
    if (cached !== undefined && nowMs - cached.leasedAtMs < options.leaseMs / 3) return cached.position;
    const lease = await leaseConsumer(options.db, {
      name: source.consumer,
      owner: options.owner,
      now: new Date(nowMs),
      leaseMs: options.leaseMs,
      initialPosition: await source.head(options.db),
    });
    if (!lease) {
      held.delete(source.consumer);
      return null;
    }
    // A renewal keeps what this process handled beyond the written cursor; a new lease starts at the cursor.
    const position = cached === undefined ? lease.position : Math.max(cached.position, lease.position);
    const stored = cached === undefined ? { stored: lease.position, storedAtMs: nowMs } : cached;
    held.set(source.consumer, { position, leasedAtMs: nowMs, stored: stored.stored, storedAtMs: stored.storedAtMs });
    return position;
  }

  /** Drains one source if this process holds (or can take) its lease; whether its cursor moved. */
  async function drain(source: DispatchSource): Promise<boolean> {
    const leased = await leasedPosition(source);
    if (leased === null) {
      setStatus(source.consumer, { holding: false });
      return false;
    }
    let position = leased;
    setStatus(source.consumer, { holding: true, position });
    try {
      while (!isStopped) {
        const next = await dispatchPage(source, position);
        if (next === null) break;
        position = next.position;
        const lease = held.get(source.consumer);
        if (lease !== undefined) {
          const stored = next.isStored ? { stored: position, storedAtMs: Date.now() } : {};
          held.set(source.consumer, { ...lease, position, ...stored });
        }
        setStatus(source.consumer, { position });
        // A short page: caught up as of its read (a commit since then cues another pass).
        if (!next.hasMore) break;
      }
      await storeCursor(source, false);
    } catch (error) {
      // Whatever happened, the next tick asks the store again who holds the lease and where its cursor is.
      held.delete(source.consumer);
      const lost = error instanceof LeaseLost;
      setStatus(source.consumer, {
        holding: !lost,
        error: lost ? null : error instanceof Error ? error.message : String(error),
      });
      throw error;
    }
    setStatus(source.consumer, { error: null });
    return position !== leased;
  }

  /** Sources cued since their last pass. */
  const due = new Set<string>();
  const first = options.sources[0]?.consumer;

  async function tick(consumer?: string): Promise<void> {
    if (isStopped) return;
    for (const source of options.sources)
      if (consumer === undefined || source.consumer === consumer) due.add(source.consumer);
    if (isRunning) {
      isAgain = true;
      return;
    }
    isRunning = true;
    try {
      do {
        isAgain = false;
        const startedAt = Date.now();
        const cued = new Set(due);
        due.clear();
        let moved = false;
        for (const source of options.sources) if (cued.has(source.consumer)) moved = (await drain(source)) || moved;
        if (first !== undefined && cued.has(first) && statusOf.get(first)?.holding) await options.alsoOnTick?.();
        // Cues arriving while the pass ran (or within its spacing) make one more pass, not one each.
        if (moved && isAgain) await pause(PASS_SPACING_MS - (Date.now() - startedAt));
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
    wake: (consumer) => void tick(consumer),
    statuses: () => [...statusOf.values()],
    async stop() {
      isStopped = true;
      clearInterval(timer);
      while (isRunning) await new Promise((resolve) => setTimeout(resolve, 20));
      for (const source of options.sources) {
        setStatus(source.consumer, { holding: false });
        // What was handled since the last write is written before the lease goes: the next holder starts after it.
        await storeCursor(source, true).catch((error: unknown) =>
          options.log.warn("webhook dispatcher could not write its cursor", {
            consumer: source.consumer,
            error: error instanceof Error ? error.message : String(error),
          }),
        );
        await releaseConsumer(options.db, source.consumer, options.owner).catch((error: unknown) =>
          options.log.warn("webhook dispatcher could not release its lease", {
            consumer: source.consumer,
            error: error instanceof Error ? error.message : String(error),
          }),
        );
      }
    },
  };
}
