import "server-only";
import type { Redis } from "ioredis";
import { NONCE_LIMITS, NONCE_TTL_MS, type NonceIssue, type NonceStore, newNonce } from "./nonce-store";

/*
 * Keys (all under one hash tag, so a Redis Cluster keeps them in one slot and the scripts stay atomic):
 *   <prefix>n:<nonce>   the nonce itself, value = owner, PX ttl: expiry needs no sweeper
 *   <prefix>o:<owner>   sorted set of the owner's outstanding nonces, score = expiry (ms, Redis clock)
 *   <prefix>all         the same for every owner: the global bound
 * Expiry is read from Redis's clock (TIME), so dashboards with skewed clocks agree on it.
 */

// Sweep expired members, refuse when a bound is reached (never evict), else SET … PX ttl NX and record it.
// Returns {1, expiry} or {0, reason, limit, oldestExpiry, now}.
const ISSUE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
if redis.call('ZCARD', KEYS[3]) >= tonumber(ARGV[3]) then
  local oldest = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
  return {0, 'STORE_FULL', tonumber(ARGV[3]), tonumber(oldest[2]), now}
end
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[4]) then
  local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  return {0, 'OWNER_LIMIT', tonumber(ARGV[4]), tonumber(oldest[2]), now}
end
if not redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl, 'NX') then
  return redis.error_reply('nonce collision')
end
local expiry = now + ttl
redis.call('ZADD', KEYS[2], expiry, ARGV[5])
redis.call('ZADD', KEYS[3], expiry, ARGV[5])
redis.call('PEXPIRE', KEYS[2], ttl)
redis.call('PEXPIRE', KEYS[3], ttl)
return {1, expiry}
`;

// GETDEL is the single point of "exactly once": of any number of concurrent consumers only one gets the owner.
// The owner's set key is derived from the value, which is why ARGV carries the prefix (same slot via the tag).
const CONSUME = `
local owner = redis.call('GETDEL', KEYS[1])
if not owner then return 0 end
redis.call('ZREM', ARGV[1] .. 'o:' .. owner, ARGV[2])
redis.call('ZREM', KEYS[2], ARGV[2])
return 1
`;

const SIZE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
return redis.call('ZCARD', KEYS[1])
`;

export interface RedisNonceStoreOptions {
  /** Must contain a `{hash tag}` so every key of the store lands in one cluster slot. */
  prefix?: string;
  ttlMs?: number;
  maxOutstanding?: number;
  maxPerOwner?: number;
}

/**
 * The nonce store shared by every dashboard instance through Redis, with the in-memory store's rules:
 * single use, `ttlMs` lifetime, at most `maxPerOwner` outstanding per owner and `maxOutstanding` in all,
 * refused (never evicted) beyond that. Redis errors propagate: a sign-in that cannot check its nonce fails
 * (503 at the routes) rather than falling back to a per-process store another instance cannot see.
 */
export function createRedisNonceStore(redis: Redis, options: RedisNonceStoreOptions = {}): NonceStore {
  const prefix = options.prefix ?? "defix:{nonce}:";
  const ttlMs = options.ttlMs ?? NONCE_TTL_MS;
  const maxOutstanding = options.maxOutstanding ?? NONCE_LIMITS.maxOutstanding;
  const maxPerOwner = options.maxPerOwner ?? NONCE_LIMITS.maxPerOwner;
  const allKey = `${prefix}all`;

  return {
    async issue(owner): Promise<NonceIssue> {
      const nonce = newNonce();
      const keys = [`${prefix}n:${nonce}`, `${prefix}o:${owner}`, allKey];
      const reply = (await redis.eval(ISSUE, 3, ...keys, owner, ttlMs, maxOutstanding, maxPerOwner, nonce)) as
        | [1, number]
        | [0, "STORE_FULL" | "OWNER_LIMIT", number, number, number];
      if (reply[0] === 1) return { ok: true, nonce, expiresAt: new Date(reply[1]) };
      const [, reason, limit, oldestExpiry, now] = reply;
      return { ok: false, reason, limit, retryAfterMs: Math.max(0, oldestExpiry - now) };
    },
    async consume(nonce) {
      // A nonce is hex (see newNonce); anything else was never issued and must not address other keys.
      if (!/^[0-9a-f]{32}$/.test(nonce)) return false;
      return (await redis.eval(CONSUME, 2, `${prefix}n:${nonce}`, allKey, prefix, nonce)) === 1;
    },
    async size() {
      return (await redis.eval(SIZE, 1, allKey)) as number;
    },
  };
}
