import { z } from "zod";
import { ALERT_KINDS, ALERT_SETTINGS_LIMITS, type AlertSettingsKey } from "./alert-lists";
import { Address, IsoDateTime } from "./common";

/**
 * Alerts the OMS raises from what it already knows (issue 18; docs/ARCHITECTURE.md, "Alerts and
 * webhooks"). Each alert has a dedupe `key` (kind + subject): it is raised once, stays `open` while
 * its condition holds and is `resolved` when it clears; a later recurrence is a new alert.
 */
export const AlertKind = z.enum(ALERT_KINDS);
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

/** A threshold within its bounds, defaulted (bounds and defaults in `alert-lists.ts`, which the form reads too). */
function threshold(key: AlertSettingsKey) {
  const { min, max, isInteger, fallback } = ALERT_SETTINGS_LIMITS[key];
  return (isInteger ? z.number().int() : z.number()).min(min).max(max).default(fallback);
}

/** Per-vault thresholds; every field has a default (the OMS answers the effective values). */
export const AlertSettings = z.strictObject({
  waiting_minutes: threshold("waiting_minutes"),
  min_executions_left: threshold("min_executions_left"),
  failure_rate: threshold("failure_rate"),
  failure_window_minutes: threshold("failure_window_minutes"),
  failure_min_intents: threshold("failure_min_intents"),
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
