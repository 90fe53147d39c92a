import type { JWTPayload } from "jose";

export interface VerifiedTokenCacheOptions {
  /** Entries kept; the least recently used is evicted beyond this. */
  maxEntries?: number;
  /** Upper bound on how long a verified token is trusted without checking its signature again. */
  maxAgeMs?: number;
  now?: () => number;
}

interface Entry {
  claims: JWTPayload;
  expiresAt: number;
  /** When the entry last moved to the most recent end. */
  touchedAt: number;
}

/**
 * A hit moves its entry to the most recent end at most this often: a dashboard's token is hit on every request,
 * and the delete + re-insert of a ~1 kB key was 4 % of a cached GET's CPU. Eviction order is exact to this grain.
 */
const TOUCH_GRAIN_MS = 1_000;

const DEFAULT_MAX_ENTRIES = 10_000;
const DEFAULT_MAX_AGE_MS = 60_000;

/**
 * Remembers successful verifications, keyed by the raw token string, so a dashboard polling with
 * the same bearer pays for one ES256 check a minute instead of one per request (~200–400 µs each).
 * An entry never outlives the token's own `exp`, failures are never stored (a rejected token is
 * re-verified, so a key rotation or clock fix takes effect at once), and concurrent requests with
 * the same new token share one verification.
 */
/** `verify` with a cache, and `peek`: the claims of a token verified before, still within `exp` and the bound. */
export type CachedVerification = ((token: string) => Promise<JWTPayload>) & {
  peek(token: string): JWTPayload | undefined;
};

export function cacheVerifications(
  verify: (token: string) => Promise<JWTPayload>,
  options: VerifiedTokenCacheOptions = {},
): CachedVerification {
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
  const now = options.now ?? Date.now;
  // A Map iterates in insertion order: re-inserting on a hit makes the first key the least recently used.
  const entries = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<JWTPayload>>();

  function remember(token: string, claims: JWTPayload): void {
    const at = now();
    const expiresAt = Math.min(typeof claims.exp === "number" ? claims.exp * 1000 : at, at + maxAgeMs);
    if (expiresAt <= at) return;
    entries.set(token, { claims, expiresAt, touchedAt: at });
    if (entries.size > maxEntries) {
      const oldest = entries.keys().next();
      if (oldest.done !== true) entries.delete(oldest.value);
    }
  }

  function peek(token: string): JWTPayload | undefined {
    const hit = entries.get(token);
    if (hit === undefined) return undefined;
    const at = now();
    if (hit.expiresAt <= at) {
      entries.delete(token);
      return undefined;
    }
    if (at - hit.touchedAt >= TOUCH_GRAIN_MS) {
      entries.delete(token);
      hit.touchedAt = at;
      entries.set(token, hit);
    }
    return hit.claims;
  }

  const cached = (token: string): Promise<JWTPayload> => {
    const claims = peek(token);
    if (claims !== undefined) return Promise.resolve(claims);
    const pending = inFlight.get(token);
    if (pending !== undefined) return pending;
    const verification = verify(token).then(
      (claims) => {
        inFlight.delete(token);
        remember(token, claims);
        return claims;
      },
      (error: unknown) => {
        inFlight.delete(token);
        throw error;
      },
    );
    inFlight.set(token, verification);
    return verification;
  };
  return Object.assign(cached, { peek });
}
