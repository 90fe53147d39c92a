import { sql } from "kysely";
import type { PublicClient } from "viem";
import type { HealthReport } from "./api/health-routes";
import { alertChangesHead } from "./notify/alerts/changes";
import type { ConsumerStatus } from "./notify/consumer-loop";
import { alertSource } from "./notify/webhooks/sources";
import { listConsumers } from "./store/consumers";
import type { Db } from "./store/db";
import { headPosition } from "./store/positions";

const HEALTH_TIMEOUT_MS = 2_000;

/** What `/health` reports: chain and database reachability, and every outbox consumer's cursor and lag. */
export async function checkHealth(
  client: PublicClient,
  db: Db,
  version: string,
  local: readonly (LocalConsumer | undefined)[],
): Promise<HealthReport> {
  const [chain, database, consumers] = await Promise.all([
    withTimeout(Promise.all([client.getChainId(), client.getBlockNumber({ cacheTime: 0 })]))
      .then(([chainId, block]) => ({ ok: true, chain_id: chainId, block: block.toString() }))
      .catch(() => ({ ok: false, chain_id: null, block: null })),
    withTimeout(sql`select 1`.execute(db.db))
      .then(() => ({ ok: true, dialect: db.dialect }))
      .catch(() => ({ ok: false, dialect: db.dialect })),
    withTimeout(consumerHealth(db, local)).catch(() => undefined),
  ]);
  return { status: chain.ok && database.ok ? "ok" : "degraded", chain, database, version, consumers };
}

/** What this process knows of a consumer it runs (the relay adds its broker connection). */
type LocalConsumer = ConsumerStatus & { connected?: boolean };

/** Every consumer's cursor and lag (from the shared table), with this process's own view of those it runs. */
export async function consumerHealth(
  db: Db,
  local: readonly (LocalConsumer | undefined)[],
): Promise<HealthReport["consumers"]> {
  const [eventHead, alertHead, cursors] = await Promise.all([
    headPosition(db.db),
    alertChangesHead(db.db),
    listConsumers(db.db),
  ]);
  return cursors.map((cursor) => {
    const mine = local.find((status) => status?.name === cursor.name);
    // Each consumer's lag is measured against the log it tails: alert changes or intent events.
    const head = cursor.name === alertSource.consumer ? alertHead : eventHead;
    // The holder writes its cursor at most every second when nothing depends on it (consumer-loop.ts): its own
    // view is the newer one.
    const position =
      mine?.holding && mine.position !== null ? Math.max(mine.position, cursor.position) : cursor.position;
    return {
      name: cursor.name,
      position,
      lag: Math.max(0, head - position),
      holding: mine?.holding ?? false,
      error: mine?.error ?? null,
      ...(mine?.connected === undefined ? {} : { connected: mine.connected }),
    };
  });
}

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("health check timed out")), HEALTH_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
