import type { Intent, IntentState } from "@/lib/defix/intents";
import { TERMINAL_STATES } from "@/lib/defix/states";
import { median } from "@/lib/format/duration";

const FAILURE_STATES: readonly IntentState[] = ["FAILED", "ABORTED", "EXPIRED"];
const HOUR = 3_600_000;

export interface HourBucket {
  /** Start of the hour bucket (ms since epoch). */
  start: number;
  completed: number;
  failed: number;
}

export interface VaultStats {
  inFlight: number;
  failures24h: number;
  completed24h: number;
  /** COMPLETED / (COMPLETED + failures) over 24 h; cancels are a manager's choice, not a failure. */
  successRate: number | null;
  medianCompleteMs: number | null;
  hours: HourBucket[];
}

const sum = (counts: Record<string, number>, states: readonly string[]) =>
  states.reduce((total, state) => total + (counts[state] ?? 0), 0);

/**
 * Per-vault health for the overview. Counts come from the OMS's facets (exact even past the
 * 500 rows fetched); the median and the hourly chart come from the rows of the last 24 h.
 */
export function vaultStats(
  allStates: Record<string, number>,
  lastDayStates: Record<string, number>,
  lastDayRows: readonly Intent[],
  now: number,
): VaultStats {
  const inFlightStates = Object.keys(allStates).filter((state) => !TERMINAL_STATES.includes(state as IntentState));
  const failures24h = sum(lastDayStates, FAILURE_STATES);
  const completed24h = lastDayStates.COMPLETED ?? 0;
  const finished = completed24h + failures24h;
  const durations = lastDayRows
    .filter((intent) => intent.state === "COMPLETED" && intent.completed_at)
    .map((intent) => Date.parse(intent.completed_at ?? "") - Date.parse(intent.created_at));
  return {
    inFlight: sum(allStates, inFlightStates),
    failures24h,
    completed24h,
    successRate: finished === 0 ? null : completed24h / finished,
    medianCompleteMs: median(durations),
    hours: hourBuckets(lastDayRows, now),
  };
}

/** 24 hourly buckets ending now, counting completions and failures by the time they finished. */
export function hourBuckets(rows: readonly Intent[], now: number): HourBucket[] {
  const firstStart = Math.floor(now / HOUR) * HOUR - 23 * HOUR;
  const buckets = Array.from({ length: 24 }, (_, i) => ({ start: firstStart + i * HOUR, completed: 0, failed: 0 }));
  for (const intent of rows) {
    if (!intent.completed_at) continue;
    const bucket = buckets[Math.floor((Date.parse(intent.completed_at) - firstStart) / HOUR)];
    if (!bucket) continue;
    if (intent.state === "COMPLETED") bucket.completed += 1;
    else if (FAILURE_STATES.includes(intent.state)) bucket.failed += 1;
  }
  return buckets;
}
