import { z } from "zod";
import { Address, IsoDateTime } from "./common";

/**
 * Alerts the OMS raises from what it already knows (issue 18; docs/ARCHITECTURE.md, "Alerts and
 * webhooks"). Each alert has a dedupe `key` (kind + subject): it is raised once, stays `open` while
 * its condition holds and is `resolved` when it clears; a later recurrence is a new alert.
 */
export const AlertKind = z.enum([
  /** An intent ended FAILED / ABORTED / EXPIRED; resolved by the next COMPLETED intent of the same vault and action. */
  "INTENT_FAILED",
  "INTENT_ABORTED",
  "INTENT_EXPIRED",
  /** An intent has been WAITING longer than the vault's threshold (with its reason). */
  "INTENT_WAITING",
  /** The active session key expires within 24 h, then again within 1 h (two alerts, one per window). */
  "SESSION_KEY_EXPIRES_24H",
  "SESSION_KEY_EXPIRES_1H",
  /** The key's gas money (or a smart account's EntryPoint deposit) covers fewer than N more executions. */
  "GAS_LOW",
  /** A strategy's failure rate over the window is above the vault's threshold. */
  "FAILURE_RATE_HIGH",
  /** The strategy runner's kill switch is engaged for the vault. */
  "KILL_SWITCH_ENGAGED",
  /** A webhook endpoint was disabled after sustained delivery failure (its owner is told). */
  "WEBHOOK_DISABLED",
]);
export type AlertKind = z.infer<typeof AlertKind>;

export const AlertSeverity = z.enum(["info", "warning", "critical"]);
export type AlertSeverity = z.infer<typeof AlertSeverity>;

export const AlertState = z.enum(["open", "resolved"]);
export type AlertState = z.infer<typeof AlertState>;

export const Alert = z.object({
  alert_id: z.string(),
  vault_id: z.string(),
  kind: AlertKind,
  severity: AlertSeverity,
  state: AlertState,
  /** One line for people (the console, Slack's `text`). */
  title: z.string(),
  message: z.string(),
  intent_id: z.string().nullable(),
  strategy_id: z.string().nullable(),
  session_key_address: Address.nullable(),
  /** What the condition measured (e.g. `{expires_at}`, `{executions_left, balance_wei}`, `{failure_rate, window_minutes}`). */
  details: z.record(z.string(), z.unknown()),
  raised_at: IsoDateTime,
  resolved_at: IsoDateTime.nullable(),
  /** For the calling user: whether they marked it read. */
  is_read: z.boolean(),
});
export type Alert = z.infer<typeof Alert>;

/** Per-vault thresholds; every field has a default (the OMS answers the effective values). */
export const AlertSettings = z.strictObject({
  /** An intent WAITING longer than this raises INTENT_WAITING. */
  waiting_minutes: z.number().int().min(1).max(10_080).default(15),
  /** GAS_LOW when the key's balance pays fewer than this many executions at the current fee. */
  min_executions_left: z.number().int().min(1).max(10_000).default(10),
  /** FAILURE_RATE_HIGH when failed / ended intents of a strategy in the window exceed this (0..1)… */
  failure_rate: z.number().min(0).max(1).default(0.5),
  failure_window_minutes: z.number().int().min(5).max(10_080).default(60),
  /** …and at least this many intents ended in the window. */
  failure_min_intents: z.number().int().min(1).max(10_000).default(4),
});
export type AlertSettings = z.infer<typeof AlertSettings>;

export const AlertList = z.object({
  alerts: z.array(Alert),
  unread: z.number().int().nonnegative(),
  next_cursor: z.string().nullable(),
});
export type AlertList = z.infer<typeof AlertList>;

/**
 * One raise or resolve, in the order they committed: `position` is gapless like event positions, so the
 * webhook dispatcher (and any other consumer) tails alert changes by position.
 */
export const AlertChange = z.object({
  position: z.number().int().positive(),
  change: z.enum(["raised", "resolved"]),
  at: IsoDateTime,
  alert: Alert.omit({ is_read: true }),
});
export type AlertChange = z.infer<typeof AlertChange>;

/** `GET /defix/alerts` query: newest first; `cursor` is the last page's `next_cursor`. */
export const AlertListQuery = z.strictObject({
  vault_id: z.string().min(1).max(200).optional(),
  state: AlertState.optional(),
  unread: z.enum(["true", "false"]).optional(),
  cursor: z
    .string()
    .regex(/^[1-9][0-9]{0,15}$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
export type AlertListQuery = z.infer<typeof AlertListQuery>;

/** `POST /defix/alerts/read-all`: every alert of the caller's vaults (or the one vault) so far. */
export const ReadAllAlertsRequest = z.strictObject({ vault_id: z.string().min(1).max(200).optional() });
export const UnreadCount = z.object({ unread: z.number().int().nonnegative() });
export type UnreadCount = z.infer<typeof UnreadCount>;

/** `PUT /defix/vaults/{id}/kill-switch-state`: the strategy runner reports its kill switch (service token). */
export const KillSwitchState = z.strictObject({ engaged: z.boolean() });
