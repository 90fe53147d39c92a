import { type Kysely, sql } from "kysely";
import { type Alert, type AlertKind, AlertSettings } from "../../../lib/defix/alerts";
import { type AlertRecord, rowToAlert } from "./changes";
import { alertDb } from "./schema";

export interface AlertQuery {
  subject: string;
  vaultIds: readonly string[];
  state?: "open" | "resolved";
  unread?: boolean;
  /** Alerts raised before this position (the cursor: the last page's smallest). */
  beforePosition?: number;
  limit: number;
}

/** Newest first, with the caller's read flags; `next_cursor` is the position to continue below. */
export async function listAlerts<DB>(
  kysely: Kysely<DB>,
  query: AlertQuery,
): Promise<{ alerts: Alert[]; nextPosition: number | null }> {
  if (query.vaultIds.length === 0) return { alerts: [], nextPosition: null };
  const db = alertDb(kysely);
  let q = db
    .selectFrom("alerts")
    .leftJoin("alert_reads", (join) =>
      join.onRef("alert_reads.alert_id", "=", "alerts.id").on("alert_reads.subject", "=", query.subject),
    )
    .leftJoin("alert_read_marks", (join) =>
      join
        .onRef("alert_read_marks.vault_id", "=", "alerts.vault_id")
        .on("alert_read_marks.subject", "=", query.subject),
    )
    .selectAll("alerts")
    .select(
      sql<number>`case when alert_reads.alert_id is not null or alerts.raised_position <= coalesce(alert_read_marks.through_position, 0) then 1 else 0 end`.as(
        "is_read",
      ),
    )
    .where("alerts.vault_id", "in", query.vaultIds)
    .where("alerts.raised_position", "is not", null)
    .orderBy("alerts.raised_position", "desc")
    .limit(query.limit + 1);
  if (query.state) q = q.where("alerts.state", "=", query.state);
  if (query.beforePosition !== undefined) q = q.where("alerts.raised_position", "<", query.beforePosition);
  if (query.unread === true) {
    q = q
      .where("alert_reads.alert_id", "is", null)
      .where(sql<boolean>`alerts.raised_position > coalesce(alert_read_marks.through_position, 0)`);
  }
  const rows = await q.execute();
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    alerts: page.map((row) => ({ ...rowToAlert(row), is_read: Number(row.is_read) === 1 })),
    nextPosition: rows.length > query.limit && last ? Number(last.raised_position) : null,
  };
}

/** How many of the vaults' alerts the subject has not read. */
export async function countUnread<DB>(
  kysely: Kysely<DB>,
  subject: string,
  vaultIds: readonly string[],
): Promise<number> {
  if (vaultIds.length === 0) return 0;
  const row = await alertDb(kysely)
    .selectFrom("alerts")
    .leftJoin("alert_reads", (join) =>
      join.onRef("alert_reads.alert_id", "=", "alerts.id").on("alert_reads.subject", "=", subject),
    )
    .leftJoin("alert_read_marks", (join) =>
      join.onRef("alert_read_marks.vault_id", "=", "alerts.vault_id").on("alert_read_marks.subject", "=", subject),
    )
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where("alerts.vault_id", "in", vaultIds)
    .where("alert_reads.alert_id", "is", null)
    .where(sql<boolean>`alerts.raised_position > coalesce(alert_read_marks.through_position, 0)`)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function getAlert<DB>(kysely: Kysely<DB>, alertId: string): Promise<AlertRecord | null> {
  const row = await alertDb(kysely).selectFrom("alerts").selectAll().where("id", "=", alertId).executeTakeFirst();
  return row ? rowToAlert(row) : null;
}

export async function markRead<DB>(kysely: Kysely<DB>, alertId: string, subject: string, now: Date): Promise<void> {
  await alertDb(kysely)
    .insertInto("alert_reads")
    .values({ alert_id: alertId, subject, read_at: now.toISOString() })
    .onConflict((oc) => oc.columns(["alert_id", "subject"]).doNothing())
    .execute();
}

/** Marks every alert of the vaults raised so far as read for the subject (one row per vault). */
export async function markAllRead<DB>(kysely: Kysely<DB>, subject: string, vaultIds: readonly string[]): Promise<void> {
  if (vaultIds.length === 0) return;
  const db = alertDb(kysely);
  const head = await db.selectFrom("alert_position").select("last").where("id", "=", 1).executeTakeFirstOrThrow();
  const through = Number(head.last);
  await db
    .insertInto("alert_read_marks")
    .values(vaultIds.map((vault_id) => ({ subject, vault_id, through_position: through })))
    .onConflict((oc) => oc.columns(["subject", "vault_id"]).doUpdateSet({ through_position: through }))
    .execute();
}

/** Open alerts of a vault (or every vault) of the given kinds: what the evaluator reconciles. */
export async function openAlerts<DB>(
  kysely: Kysely<DB>,
  kinds: readonly AlertKind[],
  vaultId?: string,
): Promise<(AlertRecord & { key: string })[]> {
  let q = alertDb(kysely).selectFrom("alerts").selectAll().where("state", "=", "open").where("kind", "in", kinds);
  if (vaultId !== undefined) q = q.where("vault_id", "=", vaultId);
  const rows = await q.execute();
  return rows.map((row) => ({ ...rowToAlert(row), key: row.dedupe_key }));
}

/** The vault's effective thresholds: stored values over the defaults. */
export async function getAlertSettings<DB>(kysely: Kysely<DB>, vaultId: string): Promise<AlertSettings> {
  const row = await alertDb(kysely)
    .selectFrom("alert_settings")
    .select("settings")
    .where("vault_id", "=", vaultId)
    .executeTakeFirst();
  const stored = row ? (JSON.parse(row.settings) as unknown) : {};
  const parsed = AlertSettings.safeParse(stored);
  return parsed.success ? parsed.data : AlertSettings.parse({});
}

export async function putAlertSettings<DB>(
  kysely: Kysely<DB>,
  vaultId: string,
  settings: AlertSettings,
  actor: string,
  now: Date,
): Promise<void> {
  const values = { settings: JSON.stringify(settings), updated_by: actor, updated_at: now.toISOString() };
  await alertDb(kysely)
    .insertInto("alert_settings")
    .values({ vault_id: vaultId, ...values })
    .onConflict((oc) => oc.column("vault_id").doUpdateSet(values))
    .execute();
}
