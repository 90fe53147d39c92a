import type { Kysely } from "kysely";
import type { AlertChange, AlertKind, AlertSettings } from "../../../lib/defix/alerts";
import type { Readiness } from "../../../lib/defix/session-keys";
import type { Database } from "../../store/schema";
import { type RaiseAlertInput, raiseAlert, resolveAlert } from "./changes";
import { openAlerts } from "./repo";

/** One condition that holds now: raised if not open yet. */
export type Desired = Omit<RaiseAlertInput, "now">;

const HOUR = 3_600_000;
const FAILED_STATES = ["FAILED", "ABORTED", "EXPIRED"];

/** Session-key expiry within 24 h and within 1 h (an expired key counts as within 1 h). */
export function keyExpiryConditions(vaultId: string, readiness: Readiness, now: Date): Desired[] {
  if (readiness.expires_at === null || readiness.session_key_address === null) return [];
  const left = Date.parse(readiness.expires_at) - now.getTime();
  const address = readiness.session_key_address;
  const base = { vault_id: vaultId, session_key_address: address, details: { expires_at: readiness.expires_at } };
  const out: Desired[] = [];
  if (left <= 24 * HOUR) {
    out.push({
      ...base,
      kind: "SESSION_KEY_EXPIRES_24H",
      key: `SESSION_KEY_EXPIRES_24H:${vaultId}:${address}`,
      severity: "warning",
      title: "Session key expires within 24 hours",
      message: `The session key ${address} expires at ${readiness.expires_at}; renew it to keep automation running.`,
    });
  }
  if (left <= HOUR) {
    out.push({
      ...base,
      kind: "SESSION_KEY_EXPIRES_1H",
      key: `SESSION_KEY_EXPIRES_1H:${vaultId}:${address}`,
      severity: "critical",
      title: left <= 0 ? "Session key expired" : "Session key expires within 1 hour",
      message: `The session key ${address} ${left <= 0 ? "expired" : "expires"} at ${readiness.expires_at}; automation stops without a renewal.`,
    });
  }
  return out;
}

/** The key's gas money pays fewer than `min_executions_left` executions at `costWei` each. */
export function gasConditions(
  vaultId: string,
  readiness: Readiness,
  costWei: bigint,
  settings: AlertSettings,
): Desired[] {
  if (readiness.session_key_address === null || readiness.balance_wei == null || costWei <= 0n) return [];
  const balance = BigInt(readiness.balance_wei);
  const left = balance / costWei;
  if (left >= BigInt(settings.min_executions_left)) return [];
  return [
    {
      vault_id: vaultId,
      kind: "GAS_LOW",
      key: `GAS_LOW:${vaultId}:${readiness.session_key_address}`,
      severity: left === 0n ? "critical" : "warning",
      title: "Session key low on gas money",
      message: `The session key holds gas for about ${left} more execution(s) (threshold ${settings.min_executions_left}).`,
      session_key_address: readiness.session_key_address,
      details: { executions_left: Number(left), balance_wei: balance.toString(), cost_wei: costWei.toString() },
    },
  ];
}

/** Intents of the vault waiting (in a pre-execution state with a waiting reason) longer than the threshold. */
export async function waitingConditions(
  db: Kysely<Database>,
  vaultId: string,
  settings: AlertSettings,
  now: Date,
): Promise<Desired[]> {
  const since = new Date(now.getTime() - settings.waiting_minutes * 60_000).toISOString();
  const rows = await db
    .selectFrom("intents")
    .select(["id", "action", "strategy_id", "waiting_reason", "state_entered_at"])
    .where("vault_id", "=", vaultId)
    .where("active", "=", 1)
    .where("waiting_reason", "is not", null)
    .where("state_entered_at", "<", since)
    .limit(200)
    .execute();
  return rows.map((row) => ({
    vault_id: vaultId,
    kind: "INTENT_WAITING" as const,
    key: `INTENT_WAITING:${row.id}`,
    severity: "warning" as const,
    title: `${row.action} intent waiting for over ${settings.waiting_minutes} min`,
    message: `Waiting since ${row.state_entered_at}: ${row.waiting_reason}`,
    intent_id: row.id,
    strategy_id: row.strategy_id,
    details: { reason: row.waiting_reason, since: row.state_entered_at, action: row.action },
  }));
}

/** Strategies whose failed share of the intents that ended in the window is above the threshold. */
export async function failureRateConditions(
  db: Kysely<Database>,
  vaultId: string,
  settings: AlertSettings,
  now: Date,
): Promise<Desired[]> {
  const since = new Date(now.getTime() - settings.failure_window_minutes * 60_000).toISOString();
  const rows = await db
    .selectFrom("intents")
    .select(["strategy_id", "state"])
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where("vault_id", "=", vaultId)
    .where("strategy_id", "is not", null)
    .where("state", "in", ["COMPLETED", ...FAILED_STATES])
    .where("state_entered_at", ">=", since)
    .groupBy(["strategy_id", "state"])
    .execute();
  const totals = new Map<string, { ended: number; failed: number }>();
  for (const row of rows) {
    const strategy = row.strategy_id ?? "";
    const entry = totals.get(strategy) ?? { ended: 0, failed: 0 };
    entry.ended += Number(row.n);
    if (FAILED_STATES.includes(row.state)) entry.failed += Number(row.n);
    totals.set(strategy, entry);
  }
  const out: Desired[] = [];
  for (const [strategy, { ended, failed }] of totals) {
    const rate = failed / ended;
    if (ended < settings.failure_min_intents || rate <= settings.failure_rate) continue;
    out.push({
      vault_id: vaultId,
      kind: "FAILURE_RATE_HIGH",
      key: `FAILURE_RATE_HIGH:${vaultId}:${strategy}`,
      severity: "critical",
      title: `Strategy failing: ${Math.round(rate * 100)} % of its intents in ${settings.failure_window_minutes} min`,
      message: `${failed} of ${ended} intents of strategy ${strategy} ended FAILED, ABORTED or EXPIRED in the last ${settings.failure_window_minutes} minutes.`,
      strategy_id: strategy,
      details: { failure_rate: rate, failed, ended, window_minutes: settings.failure_window_minutes },
    });
  }
  return out;
}

/**
 * Makes the open alerts of `kinds` for the vault match `desired`: raises what is new, resolves what
 * no longer holds. Returns the changes made.
 */
export async function reconcile(
  db: Kysely<Database>,
  vaultId: string,
  kinds: readonly AlertKind[],
  desired: readonly Desired[],
  now: Date,
): Promise<AlertChange[]> {
  const open = await openAlerts(db, kinds, vaultId);
  const wanted = new Set(desired.map((d) => d.key));
  const openKeys = new Set(open.map((a) => a.key));
  const changes: (AlertChange | null)[] = [];
  for (const alert of open) {
    if (!wanted.has(alert.key)) changes.push(await resolveAlert(db, { key: alert.key, now }));
  }
  for (const condition of desired) {
    if (!openKeys.has(condition.key)) changes.push(await raiseAlert(db, { ...condition, now }));
  }
  return changes.filter((c): c is AlertChange => c !== null);
}
