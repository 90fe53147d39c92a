import { randomBytes } from "node:crypto";

/**
 * Single-use SIWE nonces with a short lifetime, held in memory.
 *
 * The dashboard runs as one Next.js server process, so an in-memory map is the whole store. It is
 * pinned on `globalThis` because Next bundles route handlers separately and a module-level map would
 * otherwise exist once per route. A multi-instance deployment would move this to a shared store
 * (e.g. a PostgreSQL table with the same issue/consume semantics).
 */
export interface NonceStore {
  issue(): { nonce: string; expiresAt: Date };
  /** True exactly once per issued, unexpired nonce. */
  consume(nonce: string): boolean;
  size(): number;
}

export const NONCE_TTL_MS = 5 * 60_000;
const MAX_OUTSTANDING = 10_000;

export function createNonceStore(options: { ttlMs?: number; now?: () => number } = {}): NonceStore {
  const ttlMs = options.ttlMs ?? NONCE_TTL_MS;
  const now = options.now ?? Date.now;
  const expiries = new Map<string, number>();

  const sweep = (): void => {
    const current = now();
    for (const [nonce, expiry] of expiries) if (expiry <= current) expiries.delete(nonce);
  };

  return {
    issue() {
      sweep();
      // Bounded so a flood of nonce requests cannot grow memory without limit; oldest go first.
      while (expiries.size >= MAX_OUTSTANDING) {
        const oldest = expiries.keys().next().value;
        if (oldest === undefined) break;
        expiries.delete(oldest);
      }
      // EIP-4361 nonces are alphanumeric (≥ 8 chars); hex satisfies that.
      const nonce = randomBytes(16).toString("hex");
      const expiry = now() + ttlMs;
      expiries.set(nonce, expiry);
      return { nonce, expiresAt: new Date(expiry) };
    },
    consume(nonce) {
      const expiry = expiries.get(nonce);
      if (expiry === undefined) return false;
      expiries.delete(nonce);
      return expiry > now();
    },
    size: () => expiries.size,
  };
}

const GLOBAL_KEY = Symbol.for("defix.auth.nonceStore");

export function sharedNonceStore(): NonceStore {
  const holder = globalThis as { [GLOBAL_KEY]?: NonceStore };
  holder[GLOBAL_KEY] ??= createNonceStore();
  return holder[GLOBAL_KEY];
}
