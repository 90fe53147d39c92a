import { randomBytes } from "node:crypto";

/**
 * Single-use SIWE nonces with a short lifetime, held in memory.
 *
 * The dashboard runs as one Next.js server process, so an in-memory map is the whole store. It is
 * pinned on `globalThis` because Next bundles route handlers separately and a module-level map would
 * otherwise exist once per route. A multi-instance deployment would move this to a shared store
 * (e.g. a PostgreSQL table with the same issue/consume semantics).
 *
 * Bounded twice, and never by evicting: each owner (client IP key) holds at most `maxPerOwner` unexpired
 * nonces, and the whole store at most `maxOutstanding`. A full store refuses new nonces instead of dropping
 * old ones, so a flood cannot invalidate the nonce a real user is about to sign.
 */
export interface NonceStore {
  issue(owner: string): NonceIssue;
  /** True exactly once per issued, unexpired nonce. */
  consume(nonce: string): boolean;
  size(): number;
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

export function createNonceStore(options: NonceStoreOptions = {}): NonceStore {
  const ttlMs = options.ttlMs ?? NONCE_TTL_MS;
  const now = options.now ?? Date.now;
  const maxOutstanding = options.maxOutstanding ?? 10_000;
  const maxPerOwner = options.maxPerOwner ?? 100;
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
    issue(owner) {
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
      // EIP-4361 nonces are alphanumeric (≥ 8 chars); hex satisfies that.
      const nonce = randomBytes(16).toString("hex");
      const expiry = current + ttlMs;
      entries.set(nonce, { expiry, owner });
      perOwner.set(owner, (perOwner.get(owner) ?? 0) + 1);
      return { ok: true, nonce, expiresAt: new Date(expiry) };
    },
    consume(nonce) {
      const entry = entries.get(nonce);
      if (entry === undefined) return false;
      forget(nonce, entry.owner);
      return entry.expiry > now();
    },
    size: () => entries.size,
  };
}

const GLOBAL_KEY = Symbol.for("defix.auth.nonceStore");

export function sharedNonceStore(): NonceStore {
  const holder = globalThis as { [GLOBAL_KEY]?: NonceStore };
  holder[GLOBAL_KEY] ??= createNonceStore();
  return holder[GLOBAL_KEY];
}
