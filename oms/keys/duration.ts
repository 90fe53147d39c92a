import { ErrorCode } from "../../lib/defix/errors";
import { DomainError } from "../kernel/errors";

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

export interface ExpiryBounds {
  minSeconds: number;
  maxSeconds: number;
  defaultSeconds: number;
}

/** Short enough that a leaked key dies soon, long enough that a manager is not asked to sign every day. */
export const DEFAULT_EXPIRY_BOUNDS: ExpiryBounds = {
  minSeconds: 10 * 60,
  maxSeconds: 30 * 86_400,
  defaultSeconds: 168 * 3600,
};

function formatDuration(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400}d`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

function invalidExpiry(requested: string, bounds: ExpiryBounds, why: string): DomainError {
  return new DomainError(
    ErrorCode.INVALID_EXPIRY,
    `requested_expiry ${JSON.stringify(requested)} ${why}; allowed: ${formatDuration(bounds.minSeconds)} to ${formatDuration(bounds.maxSeconds)}`,
    {
      requested_expiry: requested,
      min: formatDuration(bounds.minSeconds),
      max: formatDuration(bounds.maxSeconds),
      min_seconds: bounds.minSeconds,
      max_seconds: bounds.maxSeconds,
      default: formatDuration(bounds.defaultSeconds),
    },
  );
}

/**
 * Turns `168h`/`30m`/`7d`/`3600s` into seconds within the bounds. Zero, negatives and anything
 * unparseable are rejected with the allowed range so the caller can correct the request.
 */
export function parseRequestedExpiry(
  requested: string | undefined,
  bounds: ExpiryBounds = DEFAULT_EXPIRY_BOUNDS,
): number {
  if (requested === undefined) return bounds.defaultSeconds;
  const match = /^(-?\d+)(s|m|h|d)$/.exec(requested.trim());
  if (!match) throw invalidExpiry(requested, bounds, "is not a duration like 168h, 30m, 7d or 3600s");
  const amount = Number(match[1]);
  const unit = match[2] as keyof typeof UNIT_SECONDS;
  if (!Number.isSafeInteger(amount) || amount <= 0) throw invalidExpiry(requested, bounds, "must be positive");
  const seconds = amount * UNIT_SECONDS[unit];
  if (seconds < bounds.minSeconds) throw invalidExpiry(requested, bounds, "is shorter than the minimum");
  if (seconds > bounds.maxSeconds) throw invalidExpiry(requested, bounds, "is longer than the maximum");
  return seconds;
}
