import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { DeliveryRow } from "./deliveries-repo";
import type { EndpointRow } from "./endpoints-repo";
import type { WebhookTables } from "./schema";
import type { SendOutcome } from "./sender";

export interface RetryPolicy {
  /** Wait before each retry (the first attempt is immediate): `retryScheduleMs.length + 1` attempts in all. */
  retryScheduleMs: readonly number[];
  /** Each wait is scaled by a random factor in [1 − jitter, 1 + jitter]. */
  jitter: number;
  /** Auto-disable: at least this many failed attempts in a row… */
  disableAfterFailures: number;
  /** …spanning at least this long (first failure of the streak to now), with no success in between. */
  disableAfterMs: number;
}

/** Default retry schedule (docs/ARCHITECTURE.md, "Webhooks"): 11 attempts over about 24 hours. */
export const DEFAULT_RETRY_SCHEDULE_MS = [
  5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000, 28_800_000, 28_800_000,
] as const;

export function retryDelayMs(policy: RetryPolicy, attemptsMade: number, random = Math.random): number | null {
  const base = policy.retryScheduleMs[attemptsMade - 1];
  if (base === undefined) return null;
  return Math.max(0, Math.round(base * (1 + (random() * 2 - 1) * policy.jitter)));
}

/**
 * Records one attempt: the attempt row, the delivery's new state (succeeded, pending with its next
 * due time, or failed when the schedule is used up) and the endpoint's failure streak, in one
 * transaction. Returns the endpoint when this attempt tripped the auto-disable rule.
 */
export async function recordOutcome(
  db: Kysely<WebhookTables>,
  input: {
    delivery: DeliveryRow;
    owner: string;
    outcome: SendOutcome;
    startedAt: Date;
    now: Date;
    policy: RetryPolicy;
  },
): Promise<{ disabled: EndpointRow | null }> {
  const { delivery, outcome, now, policy } = input;
  const at = now.toISOString();
  const attempt = delivery.attempts + 1;
  const retryIn = outcome.succeeded ? null : retryDelayMs(policy, attempt);
  const status = outcome.succeeded ? "succeeded" : retryIn === null ? "failed" : "pending";
  return db.transaction().execute(async (trx) => {
    await trx
      .insertInto("webhook_attempts")
      .values({
        id: randomUUID(),
        delivery_id: delivery.id,
        endpoint_id: delivery.endpoint_id,
        attempt,
        at: input.startedAt.toISOString(),
        status_code: outcome.statusCode,
        latency_ms: outcome.latencyMs,
        response_excerpt: outcome.excerpt,
        error: outcome.error,
        succeeded: outcome.succeeded ? 1 : 0,
      })
      .execute();
    await trx
      .updateTable("webhook_deliveries")
      .set({
        status,
        attempts: attempt,
        next_attempt_at: retryIn === null ? null : new Date(now.getTime() + retryIn).toISOString(),
        lease_owner: null,
        lease_expires_at: null,
        last_status_code: outcome.statusCode,
        last_latency_ms: outcome.latencyMs,
        last_error: outcome.error,
        completed_at: status === "pending" ? null : at,
      })
      .where("id", "=", delivery.id)
      .where("lease_owner", "=", input.owner)
      .execute();
    if (outcome.succeeded) {
      await trx
        .updateTable("webhook_endpoints")
        .set({ consecutive_failures: 0, failing_since: null, last_success_at: at })
        .where("id", "=", delivery.endpoint_id)
        .execute();
      return { disabled: null };
    }
    const endpoint = await trx
      .updateTable("webhook_endpoints")
      .set((eb) => ({
        consecutive_failures: eb("consecutive_failures", "+", 1),
        failing_since: eb.fn.coalesce("failing_since", eb.val(input.startedAt.toISOString())),
        last_failure_at: at,
      }))
      .where("id", "=", delivery.endpoint_id)
      .returningAll()
      .executeTakeFirst();
    if (!endpoint || Number(endpoint.enabled) !== 1 || !endpoint.failing_since) return { disabled: null };
    const failures = Number(endpoint.consecutive_failures);
    const span = now.getTime() - Date.parse(endpoint.failing_since);
    if (failures < policy.disableAfterFailures || span < policy.disableAfterMs) return { disabled: null };
    const reason = `Disabled automatically at ${at}: ${failures} delivery attempts in a row failed since ${endpoint.failing_since} (last: ${outcome.error ?? "no response"}). Fix the receiver, then enable the endpoint again.`;
    const disabled = await trx
      .updateTable("webhook_endpoints")
      .set({ enabled: 0, disabled_reason: reason, disabled_at: at, updated_at: at })
      .where("id", "=", delivery.endpoint_id)
      .where("enabled", "=", 1)
      .returningAll()
      .executeTakeFirst();
    return { disabled: disabled ?? null };
  });
}
