/**
 * The alert and webhook contract's plain lists and limits, without zod (like `states.ts`): the alerts and
 * webhook pages read them at runtime, and importing `alerts.ts` / `webhooks.ts` for them would bring zod and
 * every schema into the browser. The schema modules build their enums and bounds from these.
 */

export const ALERT_KINDS = [
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
] as const;

export const ALERT_SETTINGS_KEYS = [
  "waiting_minutes",
  "min_executions_left",
  "failure_rate",
  "failure_window_minutes",
  "failure_min_intents",
] as const;
export type AlertSettingsKey = (typeof ALERT_SETTINGS_KEYS)[number];

export interface SettingLimit {
  min: number;
  max: number;
  isInteger: boolean;
  fallback: number;
}

/** Per-vault thresholds' bounds and defaults (the OMS answers the effective values). */
export const ALERT_SETTINGS_LIMITS: Readonly<Record<AlertSettingsKey, SettingLimit>> = {
  /** An intent WAITING longer than this raises INTENT_WAITING. */
  waiting_minutes: { min: 1, max: 10_080, isInteger: true, fallback: 15 },
  /** GAS_LOW when the key's balance pays fewer than this many executions at the current fee. */
  min_executions_left: { min: 1, max: 10_000, isInteger: true, fallback: 10 },
  /** FAILURE_RATE_HIGH when failed / ended intents of a strategy in the window exceed this (0..1)… */
  failure_rate: { min: 0, max: 1, isInteger: false, fallback: 0.5 },
  failure_window_minutes: { min: 5, max: 10_080, isInteger: true, fallback: 60 },
  /** …and at least this many intents ended in the window. */
  failure_min_intents: { min: 1, max: 10_000, isInteger: true, fallback: 4 },
};

/** Longest accepted webhook endpoint URL. */
export const WEBHOOK_URL_MAX = 2_048;
export const WEBHOOK_DESCRIPTION_MAX = 200;
