import { randomUUID } from "node:crypto";
import { type ExpressionBuilder, type Kysely, sql } from "kysely";
import type { WebhookAttempt, WebhookDelivery } from "../../../lib/defix/webhooks";
import { dialectOf } from "../../store/db";
import type { WebhookDeliveriesTable, WebhookTables } from "./schema";

export type DeliveryRow = WebhookDeliveriesTable;
export type NewDelivery = Pick<DeliveryRow, "endpoint_id" | "vault_id" | "type" | "subject" | "payload">;

export const newDeliveryId = () => `msg_${randomUUID().replaceAll("-", "")}`;

export function deliveryRow(input: NewDelivery, now: Date): DeliveryRow {
  return {
    id: newDeliveryId(),
    ...input,
    status: "pending",
    attempts: 0,
    next_attempt_at: now.toISOString(),
    lease_owner: null,
    lease_expires_at: null,
    last_status_code: null,
    last_latency_ms: null,
    last_error: null,
    created_at: now.toISOString(),
    completed_at: null,
  };
}

/** Adds deliveries; one already dispatched for the same endpoint and subject is left alone (re-dispatch is a no-op). */
export async function insertDeliveries(db: Kysely<WebhookTables>, rows: readonly DeliveryRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto("webhook_deliveries")
    .values([...rows])
    .onConflict((oc) => oc.columns(["endpoint_id", "subject"]).doNothing())
    .execute();
}

const numeric = (row: DeliveryRow): DeliveryRow => ({
  ...row,
  attempts: Number(row.attempts),
  last_status_code: row.last_status_code === null ? null : Number(row.last_status_code),
  last_latency_ms: row.last_latency_ms === null ? null : Number(row.last_latency_ms),
});

const claimable = (at: string) => (eb: ExpressionBuilder<WebhookTables, "webhook_deliveries">) =>
  eb.and([
    eb("status", "=", "pending"),
    eb.or([eb("lease_expires_at", "is", null), eb("lease_expires_at", "<", at)]),
    eb("endpoint_id", "in", eb.selectFrom("webhook_endpoints").select("id").where("enabled", "=", 1)),
  ]);

/**
 * Claims up to `limit` due deliveries of enabled endpoints for `owner` (a conditional UPDATE, atomic in
 * both dialects, as `oms/store/leases-repo.ts` claims intents): two workers, in one process or many,
 * never both hold one; a crashed worker's lease runs out and the delivery is attempted again.
 */
export async function claimDueDeliveries(
  db: Kysely<WebhookTables>,
  owner: string,
  now: Date,
  leaseMs: number,
  limit: number,
): Promise<DeliveryRow[]> {
  const at = now.toISOString();
  const lease = { lease_owner: owner, lease_expires_at: new Date(now.getTime() + leaseMs).toISOString() };
  const due = (count: number) =>
    db
      .selectFrom("webhook_deliveries")
      .select("id")
      .where(claimable(at))
      .where("next_attempt_at", "<=", at)
      .orderBy("next_attempt_at", "asc")
      .limit(count);
  const claim = () => db.updateTable("webhook_deliveries").set(lease).where(claimable(at));
  if (dialectOf(db) === "postgres") {
    const rows = await claim().where("id", "in", due(limit).forUpdate().skipLocked()).returningAll().execute();
    return rows.map(numeric);
  }
  const claimed: DeliveryRow[] = [];
  for (const { id } of await due(limit * 3).execute()) {
    if (claimed.length >= limit) break;
    const row = await claim().where("id", "=", id).returningAll().executeTakeFirst();
    if (row !== undefined) claimed.push(numeric(row));
  }
  return claimed;
}

/** The earliest time a pending delivery of an enabled endpoint is due (null: none pending). */
export async function nextDueAt(db: Kysely<WebhookTables>, now: Date): Promise<Date | null> {
  const row = await db
    .selectFrom("webhook_deliveries")
    .select((eb) => eb.fn.min("next_attempt_at").as("due"))
    .where(claimable(now.toISOString()))
    .executeTakeFirst();
  return row?.due ? new Date(row.due) : null;
}

export async function getDelivery(db: Kysely<WebhookTables>, id: string): Promise<DeliveryRow | null> {
  const row = await db.selectFrom("webhook_deliveries").selectAll().where("id", "=", id).executeTakeFirst();
  return row === undefined ? null : numeric(row);
}

export async function countPendingTests(db: Kysely<WebhookTables>, endpointId: string): Promise<number> {
  const row = await db
    .selectFrom("webhook_deliveries")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("endpoint_id", "=", endpointId)
    .where("type", "=", "webhook.test")
    .where("status", "=", "pending")
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Puts a finished delivery back in the queue, due now, keeping its id (receivers can de-duplicate). */
export async function requeueDelivery(db: Kysely<WebhookTables>, id: string, now: Date): Promise<DeliveryRow | null> {
  const row = await db
    .updateTable("webhook_deliveries")
    .set({ status: "pending", next_attempt_at: now.toISOString(), completed_at: null, lease_owner: null })
    .where("id", "=", id)
    .where("status", "!=", "pending")
    .returningAll()
    .executeTakeFirst();
  return row === undefined ? null : numeric(row);
}

/** A page of an endpoint's delivery log, newest first, each with its attempts. */
export async function listDeliveryLog(
  db: Kysely<WebhookTables>,
  endpointId: string,
  options: { limit: number; before: { created_at: string; id: string } | null; status?: DeliveryRow["status"] },
): Promise<{ deliveries: WebhookDelivery[]; next: { created_at: string; id: string } | null }> {
  let query = db
    .selectFrom("webhook_deliveries")
    .selectAll()
    .where("endpoint_id", "=", endpointId)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(options.limit + 1);
  const before = options.before;
  if (before) {
    query = query.where((eb) =>
      eb.or([
        eb("created_at", "<", before.created_at),
        eb.and([eb("created_at", "=", before.created_at), eb("id", "<", before.id)]),
      ]),
    );
  }
  if (options.status) query = query.where("status", "=", options.status);
  const rows = (await query.execute()).map(numeric);
  const page = rows.slice(0, options.limit);
  const attempts = await attemptsOf(
    db,
    page.map((row) => row.id),
  );
  const last = page.at(-1);
  return {
    deliveries: page.map((row) => deliveryToWire(row, attempts.get(row.id) ?? [])),
    next: rows.length > options.limit && last ? { created_at: last.created_at, id: last.id } : null,
  };
}

export async function attemptsOf(db: Kysely<WebhookTables>, ids: readonly string[]) {
  const byDelivery = new Map<string, WebhookAttempt[]>();
  if (ids.length === 0) return byDelivery;
  const rows = await db
    .selectFrom("webhook_attempts")
    .selectAll()
    .where("delivery_id", "in", ids)
    .orderBy("attempt", "asc")
    .execute();
  for (const row of rows) {
    const list = byDelivery.get(row.delivery_id) ?? [];
    list.push({
      attempt: Number(row.attempt),
      at: row.at,
      status_code: row.status_code === null ? null : Number(row.status_code),
      latency_ms: Number(row.latency_ms),
      response_excerpt: row.response_excerpt,
      error: row.error,
      succeeded: Number(row.succeeded) === 1,
    });
    byDelivery.set(row.delivery_id, list);
  }
  return byDelivery;
}

export function deliveryToWire(row: DeliveryRow, attemptLog: WebhookAttempt[]): WebhookDelivery {
  return {
    delivery_id: row.id,
    webhook_id: row.endpoint_id,
    type: row.type,
    subject: row.subject,
    status: row.status,
    attempts: row.attempts,
    next_attempt_at: row.status === "pending" ? row.next_attempt_at : null,
    last_status_code: row.last_status_code,
    last_latency_ms: row.last_latency_ms,
    last_error: row.last_error,
    created_at: row.created_at,
    completed_at: row.completed_at,
    attempt_log: attemptLog,
  };
}

/**
 * Bounded log: drops finished deliveries (and their attempts) older than `maxAgeMs`, and beyond the
 * newest `keepPerEndpoint` finished ones of each endpoint. Pending deliveries are kept.
 */
export async function pruneDeliveryLog(
  db: Kysely<WebhookTables>,
  now: Date,
  options: { maxAgeMs: number; keepPerEndpoint: number },
): Promise<number> {
  const horizon = new Date(now.getTime() - options.maxAgeMs).toISOString();
  const ranked = sql<string>`(select id from (select id, row_number() over (partition by endpoint_id order by created_at desc, id desc) as n from webhook_deliveries where status != 'pending') ranked where n > ${options.keepPerEndpoint})`;
  return db.transaction().execute(async (trx) => {
    const doomed = (eb: ExpressionBuilder<WebhookTables, "webhook_deliveries">) =>
      eb.and([eb("status", "!=", "pending"), eb.or([eb("created_at", "<", horizon), eb("id", "in", ranked)])]);
    await trx
      .deleteFrom("webhook_attempts")
      .where("delivery_id", "in", trx.selectFrom("webhook_deliveries").select("id").where(doomed))
      .execute();
    const result = await trx.deleteFrom("webhook_deliveries").where(doomed).executeTakeFirst();
    return Number(result.numDeletedRows);
  });
}
