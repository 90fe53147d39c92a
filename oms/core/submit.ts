import type { Kysely } from "kysely";
import type { Intent, IntentEvent, SubmitIntent } from "../../lib/defix";
import { ErrorCode } from "../../lib/defix/errors";
import type { DeploymentManifest } from "../../lib/deployment/manifest";
import type { Clock } from "../domain/clock";
import { configHash } from "../domain/config-hash";
import { toIntent } from "../domain/record";
import { resolveDeadline, type SubmitLimits, validateSubmission } from "../domain/validate";
import { DomainError } from "../kernel/errors";
import { findLiveIntent } from "../store/intents-repo";
import type { Database } from "../store/schema";
import type { IntentWriter } from "./intent-writer";

export interface SubmitContext {
  db: Kysely<Database>;
  manifest: DeploymentManifest;
  limits: SubmitLimits;
  clock: Clock;
  defaultTtlSeconds: number;
  /** Every commit goes through it (caches, the event bus). */
  publish(events: readonly IntentEvent[]): void;
  /** A new intent: the engine's workers look now rather than at their next tick. */
  wakeAll(): void;
  /** Writes new intents, concurrent submits grouped into one transaction (intent-writer.ts). */
  writer: IntentWriter;
}

/** One submit (see `IntentService.submit`); `id` names the new intent (a refined submit claims it first). */
export async function submitIntent(
  ctx: SubmitContext,
  input: SubmitIntent,
  actor: { subject: string },
  id?: string,
): Promise<{ intent: Intent; created: boolean }> {
  const { db, limits, clock, defaultTtlSeconds } = ctx;
  validateSubmission(input, ctx.manifest, limits);
  const now = clock.now();
  const key = { vault_id: input.vault_id, action: input.action, config_hash: configHash(input) };
  let deadline: string;
  try {
    deadline = resolveDeadline(input, now, defaultTtlSeconds, limits.maxDeadlineSeconds);
  } catch (error) {
    // A resubmission of a live intent is answered with it even when its deadline has passed.
    const existing = await findLiveIntent(db, key);
    if (existing !== null) return { intent: toIntent(existing), created: false };
    throw error;
  }
  // Insert first: a new submit (the common case) costs no read; the partial unique index
  // decides duplicates, and only then is the live one read.
  const payload = {
    ...key,
    strategy_id: input.strategy_id ?? null,
    objective: input.objective,
    account_mode: input.account_mode,
    action_config: input.action_config,
    auth_signing: input.auth_signing,
    deadline,
    submitted_by: actor.subject,
  };
  const maxLive = limits.maxInFlightPerVault ?? null;
  let last: "duplicate" | "retry" = "duplicate";
  for (let attempt = 0; attempt < 3; attempt++) {
    const outcome = await ctx.writer.create({ payload, at: now, id });
    if (typeof outcome === "object") {
      ctx.publish(outcome.events);
      ctx.wakeAll();
      return { intent: toIntent(outcome.record), created: true };
    }
    // Refused as full only because a duplicate of the same batch held a place: ask again.
    if (outcome === "retry") {
      last = outcome;
      continue;
    }
    // A resubmission of a live intent is answered with it even when the vault is full.
    const existing = await findLiveIntent(db, key);
    if (existing !== null) return { intent: toIntent(existing), created: false };
    if (outcome === "full") {
      throw new DomainError(
        ErrorCode.TOO_MANY_IN_FLIGHT,
        `vault ${input.vault_id} already has ${maxLive} unfinished intents; submit again once some complete`,
      );
    }
    // The live duplicate became terminal in between: loop to create ours.
    last = outcome;
  }
  if (last === "retry") {
    throw new DomainError(
      ErrorCode.TOO_MANY_IN_FLIGHT,
      `vault ${input.vault_id} was momentarily at its bound of ${maxLive} unfinished intents while other submits to it were being written; submit again`,
    );
  }
  throw new DomainError(ErrorCode.CONFLICT, "an identical intent is being created concurrently; retry");
}
