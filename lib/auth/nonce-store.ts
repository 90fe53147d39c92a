import { randomBytes } from "node:crypto";

/**
 * Single-use SIWE nonces with a short lifetime.
 *
 * Two implementations with the same rules: this in-memory one (one dashboard process) and the Redis one
 * (`redis-nonce-store.ts`, several dashboard instances: a nonce issued by one is redeemed on another).
 * `shared-nonce-store.ts` picks one per process. The interface is async because the shared one is.
 *
 * Bounded twice, and never by evicting: each owner (client IP key) holds at most `maxPerOwner` unexpired
 * nonces, and the whole store at most `maxOutstanding`. A full store refuses new nonces instead of dropping
 * old ones, so a flood cannot invalidate the nonce a real user is about to sign.
 */
export interface NonceStore {
  issue(owner: string): Promise<NonceIssue>;
  /** True exactly once per issued, unexpired nonce, across every instance sharing the store. */
  consume(nonce: string): Promise<boolean>;
  /** Unexpired, unconsumed nonces. */
  size(): Promise<number>;
}

export type NonceIssue =
  | { ok: true; nonce: string; expiresAt: Date }
  /** OWNER_LIMIT: this owner has too many unexpired nonces; STORE_FULL: everyone together has. */
  | { ok: false; reason: "OWNER_LIMIT" | "STORE_FULL"; limit: number; retryAfterMs: number };

export const NONCE_TTL_MS = 5 * 60_000;

export interface NonceStoreOptions {
  ttlMs?: number;
  now?: () => number;
  maxOutstanding?: number;
  maxPerOwner?: number;
}

export const NONCE_LIMITS = { maxOutstanding: 10_000, maxPerOwner: 100 } as const;

/** EIP-4361 nonces are alphanumeric (≥ 8 chars); 128 random bits in hex satisfy that. */
export const newNonce = (): string => randomBytes(16).toString("hex");

export function createNonceStore(options: NonceStoreOptions = {}): NonceStore {
  const ttlMs = options.ttlMs ?? NONCE_TTL_MS;
  const now = options.now ?? Date.now;
  const maxOutstanding = options.maxOutstanding ?? NONCE_LIMITS.maxOutstanding;
  const maxPerOwner = options.maxPerOwner ?? NONCE_LIMITS.maxPerOwner;
  // Insertion order is expiry order (one TTL for all), so sweeping stops at the first live entry.
  const entries = new Map<string, { expiry: number; owner: string }>();
  const perOwner = new Map<string, number>();

  const forget = (nonce: string, owner: string): void => {
    entries.delete(nonce);
    const left = (perOwner.get(owner) ?? 1) - 1;
    if (left > 0) perOwner.set(owner, left);
    else perOwner.delete(owner);
  };

  const sweep = (current: number): void => {
    for (const [nonce, entry] of entries) {
      if (entry.expiry > current) break;
      forget(nonce, entry.owner);
    }
  };

  const oldestExpiry = (owner?: string): number => {
    for (const entry of entries.values()) if (owner === undefined || entry.owner === owner) return entry.expiry;
    return now();
  };

  return {
    async issue(owner) {
      const current = now();
      sweep(current);
      if (entries.size >= maxOutstanding) {
        const retryAfterMs = Math.max(0, oldestExpiry() - current);
        return { ok: false, reason: "STORE_FULL", limit: maxOutstanding, retryAfterMs };
      }
      if ((perOwner.get(owner) ?? 0) >= maxPerOwner) {
        const retryAfterMs = Math.max(0, oldestExpiry(owner) - current);
        return { ok: false, reason: "OWNER_LIMIT", limit: maxPerOwner, retryAfterMs };
      }
      const nonce = newNonce();
      const expiry = current + ttlMs;
      entries.set(nonce, { expiry, owner });
      perOwner.set(owner, (perOwner.get(owner) ?? 0) + 1);
      return { ok: true, nonce, expiresAt: new Date(expiry) };
    },
    async consume(nonce) {
      const entry = entries.get(nonce);
      if (entry === undefined) return false;
      forget(nonce, entry.owner);
      return entry.expiry > now();
    },
    size: async () => {
      sweep(now());
      return entries.size;
    },
  };
}
