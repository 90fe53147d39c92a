import { randomUUID } from "node:crypto";
import { type Kysely, sql } from "kysely";
import type { AlertChange, AlertKind, AlertSeverity } from "../../../lib/defix/alerts";
import { dialectOf } from "../../store/db";
import { type AlertsTable, type AlertTables, type AlertTx, alertDb } from "./schema";

/**
 * The PostgreSQL channel on which every alert change announces its position: queued by the recording
 * transaction (the counter UPDATE's RETURNING), so it is delivered at commit, in commit order, and never
 * for a rollback. Other OMS processes' alert streams and dispatchers listen on it (see feed.ts).
 */
export const ALERT_CHANNEL = "defix_alert_position";

/** An alert as consumers see it (the wire `Alert` without the per-user `is_read`). */
export type AlertRecord = AlertChange["alert"];

export interface RaiseAlertInput {
  vault_id: string;
  kind: AlertKind;
  /** Dedupe key (kind + subject, e.g. `INTENT_WAITING:<intent id>`): one open alert per key. */
  key: string;
  severity: AlertSeverity;
  title: string;
  message: string;
  intent_id?: string | null;
  strategy_id?: string | null;
  session_key_address?: string | null;
  details?: Record<string, unknown>;
  now: Date;
}

export function rowToAlert(row: AlertsTable): AlertRecord {
  return {
    alert_id: row.id,
    vault_id: row.vault_id,
    kind: row.kind as AlertKind,
    severity: row.severity as AlertSeverity,
    state: row.state === "resolved" ? "resolved" : "open",
    title: row.title,
    message: row.message,
    intent_id: row.intent_id,
    strategy_id: row.strategy_id,
    session_key_address: row.session_key_address as AlertRecord["session_key_address"],
    details: JSON.parse(row.details) as Record<string, unknown>,
    raised_at: row.raised_at,
    resolved_at: row.resolved_at,
  };
}

/**
 * Takes the next alert-change position (the counter row's lock is held to commit, so changes commit
 * in position order and a rollback leaves no gap; see store/positions.ts) and records the change.
 * Call it as the transaction's last step.
 */
async function recordChange(
  trx: AlertTx,
  change: AlertChange["change"],
  row: AlertsTable,
  at: string,
): Promise<AlertChange> {
  const update = trx.updateTable("alert_position").set({ last: sql`last + 1` }).where("id", "=", 1);
  const counter =
    dialectOf(trx as unknown as Kysely<AlertTables>) === "postgres"
      ? await update
          .returning(["last", sql<string>`pg_notify(${ALERT_CHANNEL}, last::text)::text`.as("notified")])
          .executeTakeFirstOrThrow()
      : await update.returning("last").executeTakeFirstOrThrow();
  const position = Number(counter.last);
  let current = row;
  if (change === "raised") {
    current = { ...row, raised_position: position };
    await trx.updateTable("alerts").set({ raised_position: position }).where("id", "=", row.id).execute();
  }
  const alert = rowToAlert(current);
  await trx
    .insertInto("alert_changes")
    .values({ position, alert_id: row.id, change, at, alert: JSON.stringify(alert) })
    .execute();
  return { position, change, at, alert };
}

/**
 * Raises the alert unless one with the same key is open (then null: raised once). Atomic: the alert
 * and its change commit together; concurrent raisers of one key (other processes) produce one alert.
 */
export async function raiseAlert<DB>(db: Kysely<DB>, input: RaiseAlertInput): Promise<AlertChange | null> {
  const at = input.now.toISOString();
  const row: AlertsTable = {
    id: randomUUID(),
    vault_id: input.vault_id,
    kind: input.kind,
    dedupe_key: input.key,
    severity: input.severity,
    state: "open",
    title: input.title,
    message: input.message,
    intent_id: input.intent_id ?? null,
    strategy_id: input.strategy_id ?? null,
    session_key_address: input.session_key_address ?? null,
    details: JSON.stringify(input.details ?? {}),
    raised_at: at,
    resolved_at: null,
    raised_position: null,
  };
  return alertDb(db)
    .transaction()
    .execute(async (trx) => {
      const inserted = await trx
        .insertInto("alerts")
        .values(row)
        // A literal, not a parameter: SQLite matches the conflict target to the partial index by its text.
        .onConflict((oc) => oc.column("dedupe_key").where(sql<boolean>`state = 'open'`).doNothing())
        .returning("id")
        .executeTakeFirst();
      if (inserted === undefined) return null;
      return recordChange(trx, "raised", row, at);
    });
}

/** Resolves the open alert with this key; null when none is open (nothing to record). */
export async function resolveAlert<DB>(db: Kysely<DB>, input: { key: string; now: Date }): Promise<AlertChange | null> {
  const at = input.now.toISOString();
  return alertDb(db)
    .transaction()
    .execute(async (trx) => {
      const row = await trx
        .updateTable("alerts")
        .set({ state: "resolved", resolved_at: at })
        .where("dedupe_key", "=", input.key)
        .where("state", "=", "open")
        .returningAll()
        .executeTakeFirst();
      if (row === undefined) return null;
      return recordChange(trx, "resolved", row, at);
    });
}

/** Alert changes with `position > afterPosition`, in position order, at most `limit`. */
export async function listAlertChangesAfter<DB>(
  db: Kysely<DB>,
  afterPosition: number,
  limit: number,
): Promise<AlertChange[]> {
  const rows = await alertDb(db)
    .selectFrom("alert_changes")
    .selectAll()
    .where("position", ">", afterPosition)
    .orderBy("position")
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    position: Number(row.position),
    change: row.change === "resolved" ? "resolved" : "raised",
    at: row.at,
    alert: JSON.parse(row.alert) as AlertRecord,
  }));
}

/** The last alert-change position committed (0 before the first change). */
export async function alertChangesHead<DB>(db: Kysely<DB>): Promise<number> {
  const row = await alertDb(db).selectFrom("alert_position").select("last").where("id", "=", 1).executeTakeFirst();
  return row === undefined ? 0 : Number(row.last);
}
