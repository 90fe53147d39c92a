const UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
  ["second", 1000],
];

const relative = new Intl.RelativeTimeFormat("en", { numeric: "always", style: "narrow" });

/** Under this much in the past, a time reads "just now". */
const JUST_NOW_MS = 5000;
/**
 * Server timestamps (an intent's `created_at`) come from another clock, which may run slightly
 * ahead of the browser's: a time up to this far in the future is that skew, not the future, and
 * reads "just now". Expiries and deadlines are further out and still read "in 3d".
 */
export const CLOCK_SKEW_TOLERANCE_MS = 30_000;

/** `12s ago`, `3m ago`, `in 5h`: the largest unit that fits, for table cells. */
export function formatRelative(iso: string, now: number = Date.now()): string {
  const delta = Date.parse(iso) - now;
  if (delta < CLOCK_SKEW_TOLERANCE_MS && delta > -JUST_NOW_MS) return "just now";
  const magnitude = Math.abs(delta);
  for (const [unit, size] of UNITS) {
    if (magnitude >= size) return relative.format(Math.trunc(delta / size), unit);
  }
  return "just now";
}

/**
 * The exact instant, always in UTC and always the same format, so the server-rendered and the
 * hydrated text agree and two people comparing a shared link see the same string.
 */
export function formatExact(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const text = date.toISOString();
  return `${text.slice(0, 10)} ${text.slice(11, 23)} UTC`;
}

/** `HH:MM:SS` in UTC for dense timelines where the date is shown once above. */
export function formatClock(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toISOString().slice(11, 19);
}
