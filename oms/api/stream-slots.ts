import { randomUUID } from "node:crypto";
import type { FastifyRequest } from "fastify";
import type { Redis } from "ioredis";
import { ErrorCode } from "../../lib/defix/errors";
import { LimitError } from "../kernel/errors";
import { requireActor } from "./auth";

/** Caps on concurrently open SSE streams, per identity and in total. */
export interface StreamSlots {
  /** A slot for the caller's new stream, released by calling the result; else 429 TOO_MANY_STREAMS. */
  acquire(request: FastifyRequest): Promise<() => void>;
  close(): void;
}

export interface StreamCaps {
  perIdentity: number;
  total: number;
}

/** A slot frees when a stream closes, not on a clock: this only paces the client's retries. */
const RETRY_AFTER_SECONDS = 10;

function tooMany(scope: "identity" | "global", limit: number): LimitError {
  const message =
    scope === "identity"
      ? `At most ${limit} event streams may be open per account; close one first`
      : "The OMS has as many event streams open as it serves; retry shortly";
  return new LimitError(ErrorCode.TOO_MANY_STREAMS, message, RETRY_AFTER_SECONDS, { scope, limit });
}

export const UNCAPPED_SLOTS: StreamSlots = { acquire: async () => () => undefined, close: () => undefined };

export function createMemoryStreamSlots(caps: StreamCaps): StreamSlots {
  const open = new Map<string, number>();
  let total = 0;
  return {
    async acquire(request) {
      const { subject } = requireActor(request);
      const mine = open.get(subject) ?? 0;
      if (mine >= caps.perIdentity) throw tooMany("identity", caps.perIdentity);
      if (total >= caps.total) throw tooMany("global", caps.total);
      open.set(subject, mine + 1);
      total += 1;
      let isReleased = false;
      return () => {
        if (isReleased) return;
        isReleased = true;
        total -= 1;
        const left = (open.get(subject) ?? 1) - 1;
        if (left > 0) open.set(subject, left);
        else open.delete(subject);
      };
    },
    close: () => undefined,
  };
}

/**
 * Slots shared by every OMS process on one Redis: each open stream is a member of two sorted sets (its
 * identity's and the global one) scored by a lease expiry that this process renews while the stream is
 * open. A process that dies stops renewing, so its slots lapse after one lease instead of leaking.
 */
const ACQUIRE = `
local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 1 end
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[5]) then return 2 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
redis.call('PEXPIRE', KEYS[2], ARGV[6])
return 0
`;
const LEASE_MS = 60_000;
const RENEW_MS = 20_000;

export function createRedisStreamSlots(
  redis: Redis,
  caps: StreamCaps,
  warn: (error: unknown, message: string) => void,
  redisPrefix: string,
): StreamSlots {
  const PREFIX = `${redisPrefix}streams:`;
  const held = new Map<string, string>();
  const renew = setInterval(() => {
    if (held.size === 0) return;
    const expiry = Date.now() + LEASE_MS;
    const batch = redis.pipeline();
    for (const [member, identityKey] of held) {
      batch.zadd(identityKey, "XX", expiry, member).zadd(`${PREFIX}all`, "XX", expiry, member);
      batch.pexpire(identityKey, LEASE_MS * 2);
    }
    batch.pexpire(`${PREFIX}all`, LEASE_MS * 2);
    // A missed renewal only shortens the leases; the next one (or a lapse) settles it.
    batch.exec().catch((error: unknown) => warn(error, "stream slot lease renewal failed"));
  }, RENEW_MS);
  renew.unref();

  return {
    async acquire(request) {
      const { subject } = requireActor(request);
      const identityKey = `${PREFIX}id:${subject}`;
      const member = randomUUID();
      const now = Date.now();
      let verdict: unknown;
      try {
        verdict = await redis.eval(
          ACQUIRE,
          2,
          identityKey,
          `${PREFIX}all`,
          now,
          now + LEASE_MS,
          member,
          caps.perIdentity,
          caps.total,
          LEASE_MS * 2,
        );
      } catch (error) {
        request.log.warn({ err: error }, "stream slot store unavailable; stream not counted");
        return () => undefined;
      }
      if (verdict === 1) throw tooMany("identity", caps.perIdentity);
      if (verdict === 2) throw tooMany("global", caps.total);
      held.set(member, identityKey);
      return () => {
        if (!held.delete(member)) return;
        redis
          .pipeline()
          .zrem(identityKey, member)
          .zrem(`${PREFIX}all`, member)
          .exec()
          .catch((error: unknown) => request.log.warn({ err: error }, "stream slot release failed; its lease lapses"));
      };
    },
    close() {
      clearInterval(renew);
    },
  };
}
