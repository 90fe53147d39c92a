const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A compact human duration with at most two units: `850 ms`, `4.2 s`, `3 m 12 s`, `2 h 5 m`, `3 d 4 h`.
 * Negative inputs (clock skew between OMS and browser) clamp to zero rather than print nonsense.
 */
export function formatDuration(ms: number): string {
  const value = Math.max(0, Math.round(ms));
  if (value < SECOND) return `${value} ms`;
  if (value < 10 * SECOND) return `${(Math.floor(value / 100) / 10).toFixed(1)} s`;
  if (value < MINUTE) return `${Math.floor(value / SECOND)} s`;
  if (value < HOUR) return twoUnits(value, MINUTE, "m", SECOND, "s");
  if (value < DAY) return twoUnits(value, HOUR, "h", MINUTE, "m");
  return twoUnits(value, DAY, "d", HOUR, "h");
}

function twoUnits(value: number, big: number, bigLabel: string, small: number, smallLabel: string): string {
  const major = Math.floor(value / big);
  const minor = Math.floor((value % big) / small);
  return minor === 0 ? `${major} ${bigLabel}` : `${major} ${bigLabel} ${minor} ${smallLabel}`;
}

/** Milliseconds between two ISO timestamps (or until `now`). */
export function durationBetween(fromIso: string, toIso: string | null, now: number = Date.now()): number {
  const end = toIso === null ? now : Date.parse(toIso);
  return end - Date.parse(fromIso);
}

/** The median of a list of numbers, or null for an empty list. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[middle] ?? null;
  return ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
