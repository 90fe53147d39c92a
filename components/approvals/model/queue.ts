import type { Authorization } from "@/lib/defix/authorization";
import type { Intent } from "@/lib/defix/intents";
import { signedCount } from "@/lib/defix/states";

/** One row of the Approvals queue: what the intent waits for and what the signed-in user can do about it. */
export interface QueueRow {
  intent: Intent;
  authorization: Authorization;
  signed: number;
  /** Signatures still missing before the threshold. */
  missing: number;
  /** The signed-in user is a member who has not signed yet: Approve / Reject are theirs to press. */
  isAwaitingMe: boolean;
  /** The user already signed: the row only waits for others. */
  hasMySignature: boolean;
  /** Milliseconds until the deadline (0 once passed: the OMS expires it with APPROVAL_TIMEOUT). */
  timeLeftMs: number;
}

/**
 * The queue from the intents the user can see: every pending one, those waiting for the user first, then
 * soonest deadline first. `me` is the signed-in wallet address (any case).
 */
export function approvalQueue(intents: readonly Intent[], me: string | null, now: number): QueueRow[] {
  const self = me?.toLowerCase() ?? null;
  const rows = intents.flatMap((intent): QueueRow[] => {
    const authorization = intent.authorization;
    if (intent.approval_status !== "pending" || authorization === null) return [];
    const seat = authorization.members.find((member) => member.address === self);
    const signed = signedCount(authorization);
    return [
      {
        intent,
        authorization,
        signed,
        missing: Math.max(0, authorization.threshold - signed),
        isAwaitingMe: seat !== undefined && seat.signed_at === null,
        hasMySignature: seat?.signed_at != null,
        timeLeftMs: Math.max(0, Date.parse(intent.deadline) - now),
      },
    ];
  });
  return rows.sort((a, b) => Number(b.isAwaitingMe) - Number(a.isAwaitingMe) || a.timeLeftMs - b.timeLeftMs);
}

/** The navigation badge: how many pending intents wait for the user's own signature. */
export const awaitingMeCount = (intents: readonly Intent[], me: string | null, now: number): number =>
  approvalQueue(intents, me, now).filter((row) => row.isAwaitingMe).length;

/** Pending intents per strategy (the canvas's "waiting for approval" count). */
export function waitingByStrategy(intents: readonly Intent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const intent of intents) {
    if (intent.approval_status !== "pending" || intent.strategy_id === null) continue;
    counts[intent.strategy_id] = (counts[intent.strategy_id] ?? 0) + 1;
  }
  return counts;
}
