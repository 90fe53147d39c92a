import type { Kysely, Transaction } from "kysely";

/** Row shapes of the alert tables (`migration.ts`); bigint columns come back as strings on PostgreSQL. */
export interface AlertsTable {
  id: string;
  vault_id: string;
  kind: string;
  dedupe_key: string;
  severity: string;
  state: string;
  title: string;
  message: string;
  intent_id: string | null;
  strategy_id: string | null;
  session_key_address: string | null;
  details: string;
  raised_at: string;
  resolved_at: string | null;
  raised_position: number | string | null;
}

export interface AlertChangesTable {
  position: number | string;
  alert_id: string;
  change: string;
  at: string;
  alert: string;
}

export interface AlertPositionTable {
  id: number;
  last: number | string;
}

export interface AlertReadsTable {
  alert_id: string;
  subject: string;
  read_at: string;
}

export interface AlertReadMarksTable {
  subject: string;
  vault_id: string;
  through_position: number | string;
}

export interface AlertSettingsTable {
  vault_id: string;
  settings: string;
  updated_by: string;
  updated_at: string;
}

export interface AlertTables {
  alerts: AlertsTable;
  alert_changes: AlertChangesTable;
  alert_position: AlertPositionTable;
  alert_reads: AlertReadsTable;
  alert_read_marks: AlertReadMarksTable;
  alert_settings: AlertSettingsTable;
}

export type AlertDb = Kysely<AlertTables>;
export type AlertTx = Transaction<AlertTables>;

/**
 * The OMS database type is the store's, which does not list these tables, and Kysely's type is
 * invariant in it; this is the one place that narrows it (as keys/schema.ts does). Sound because
 * `alertsMigration` creates these tables and this module touches no others.
 */
export function alertDb<DB>(db: Kysely<DB>): AlertDb {
  return db as unknown as AlertDb;
}
