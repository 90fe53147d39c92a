import type { z } from "zod";
import {
  ApprovalSignedPayload,
  ExecutingPayload,
  type IntentEvent,
  type IntentState,
  isTerminalState,
  legacyStatus,
  type MessageType,
  MinedPayload,
  PlannedPayload,
  ReceivedPayload,
  ReplacedPayload,
  STATE_OF_MESSAGE,
  StagedPayload,
  signedCount,
  TerminalErrorPayload,
  WaitingPayload,
} from "../../lib/defix";
import type { IntentRecord } from "./record";

// The projector reads only what it needs from attempt events, so a log lacking the fee fields still replays.
const ExecutingAttempt = ExecutingPayload.pick({ tx_hash: true, nonce: true, signer: true });
const ReplacedAttempt = ReplacedPayload.pick({ tx_hash: true, replaced_tx_hash: true });

export class ProjectionError extends Error {
  override name = "ProjectionError";
}

/**
 * Allowed transitions. EXECUTING may only end in COMPLETED or FAILED: once a transaction is out we
 * must report what the chain did, so it can neither be canceled nor expire.
 */
const NEXT_STATES: Record<IntentState, readonly IntentState[]> = {
  RECEIVED: ["ACKED", "ABORTED", "EXPIRED", "CANCELED"],
  ACKED: ["STAGED", "ABORTED", "EXPIRED", "CANCELED"],
  STAGED: ["PLANNED", "ABORTED", "FAILED", "EXPIRED", "CANCELED"],
  PLANNED: ["EXECUTING", "ABORTED", "FAILED", "EXPIRED", "CANCELED"],
  EXECUTING: ["COMPLETED", "FAILED"],
  COMPLETED: [],
  ABORTED: [],
  EXPIRED: [],
  FAILED: [],
  CANCELED: [],
};

/** Informational message types and the states they may be appended in. */
const INFO_STATES: Partial<Record<MessageType, readonly IntentState[]>> = {
  WAITING: ["RECEIVED", "ACKED", "STAGED", "PLANNED"],
  // RECEIVED while the quorum is first asked; STAGED after a size drift sent it back (issue 15).
  APPROVAL_SIGNED: ["RECEIVED", "STAGED"],
  CANCEL_REQUESTED: ["RECEIVED", "ACKED", "STAGED", "PLANNED", "EXECUTING"],
  // TX_SIGNED precedes INTENT_EXECUTING in the same commit, so it is appended while PLANNED.
  TX_SIGNED: ["PLANNED", "EXECUTING"],
  TX_BROADCAST: ["EXECUTING"],
  TX_REPLACED: ["EXECUTING"],
  TX_DROPPED: ["EXECUTING"],
  TX_MINED: ["EXECUTING"],
  FILL_RECORDED: ["EXECUTING"],
};

/** Pure projector: the intent after `event`. Throws on anything the lifecycle forbids. */
export function applyEvent(intent: IntentRecord | null, event: IntentEvent): IntentRecord {
  if (intent === null) return project(null, event);
  if (event.intent_id !== intent.id) throw new ProjectionError(`event of ${event.intent_id} applied to ${intent.id}`);
  if (event.seq_num !== intent.seq_num + 1) {
    throw new ProjectionError(`seq_num ${event.seq_num} does not follow ${intent.seq_num}`);
  }
  if (isTerminalState(intent.state))
    throw new ProjectionError(`intent is ${intent.state}; terminal states never change`);
  return project(intent, event);
}

export function replay(events: readonly IntentEvent[]): IntentRecord | null {
  return events.reduce<IntentRecord | null>((intent, event) => applyEvent(intent, event), null);
}

function project(intent: IntentRecord | null, event: IntentEvent): IntentRecord {
  if (intent === null) {
    if (event.message_type !== "INTENT_RECEIVED" || event.seq_num !== 1) {
      throw new ProjectionError("the first event must be INTENT_RECEIVED with seq_num 1");
    }
    return received(event);
  }
  const base: IntentRecord = { ...intent, seq_num: event.seq_num, updated_at: event.created_at };
  const target = STATE_OF_MESSAGE[event.message_type];
  if (target === undefined) return info(base, intent.state, event);
  if (!NEXT_STATES[intent.state].includes(target)) {
    throw new ProjectionError(`${intent.state} → ${target} is not a lifecycle transition`);
  }
  if (intent.approval_status === "pending" && (target === "ACKED" || target === "PLANNED")) {
    throw new ProjectionError(`${target} while the intent waits for its quorum`);
  }
  const moved: IntentRecord = {
    ...base,
    state: target,
    status: legacyStatus(target),
    state_entered_at: event.created_at,
    waiting_reason: null,
  };
  return enter(moved, event);
}

function received(event: IntentEvent): IntentRecord {
  const p = ReceivedPayload.parse(event.payload);
  return {
    id: event.intent_id,
    ...p,
    state: "RECEIVED",
    status: legacyStatus("RECEIVED"),
    seq_num: 1,
    size: null,
    created_at: event.created_at,
    updated_at: event.created_at,
    state_entered_at: event.created_at,
    completed_at: null,
    tx_hash: null,
    gas_used: null,
    error: null,
    plan: null,
    signer: null,
    execution_id: null,
    waiting_reason: null,
    approval_status: "not_required",
    authorization: null,
  };
}

function enter(intent: IntentRecord, event: IntentEvent): IntentRecord {
  switch (event.message_type) {
    case "INTENT_STAGED":
      return { ...intent, signer: StagedPayload.parse(event.payload).session_key_address };
    case "INTENT_PLANNED": {
      const { plan } = PlannedPayload.parse(event.payload);
      return { ...intent, plan, size: plan.size };
    }
    case "INTENT_EXECUTING": {
      const p = ExecutingAttempt.parse(event.payload);
      return { ...intent, tx_hash: p.tx_hash, signer: p.signer, execution_id: event.execution_id };
    }
    case "INTENT_COMPLETED":
      return { ...intent, completed_at: event.created_at };
    case "INTENT_ABORTED":
    case "INTENT_EXPIRED":
    case "INTENT_FAILED":
    case "INTENT_CANCELED": {
      const { error } = TerminalErrorPayload.parse(event.payload);
      return {
        ...intent,
        completed_at: event.created_at,
        error,
        approval_status: approvalExit(intent, event.message_type, error.code),
      };
    }
    default:
      return intent;
  }
}

function info(intent: IntentRecord, state: IntentState, event: IntentEvent): IntentRecord {
  const allowed = INFO_STATES[event.message_type];
  if (allowed === undefined || !allowed.includes(state)) {
    throw new ProjectionError(`${event.message_type} is not allowed while ${state}`);
  }
  switch (event.message_type) {
    case "WAITING": {
      const { reason, authorization } = WaitingPayload.parse(event.payload);
      if (authorization === undefined) return { ...intent, waiting_reason: reason };
      return { ...intent, waiting_reason: reason, approval_status: "pending", authorization };
    }
    case "APPROVAL_SIGNED":
      return signed(intent, ApprovalSignedPayload.parse(event.payload));
    case "TX_REPLACED":
      return { ...intent, tx_hash: ReplacedAttempt.parse(event.payload).tx_hash };
    case "TX_MINED": {
      const p = MinedPayload.parse(event.payload);
      return { ...intent, tx_hash: p.tx_hash, gas_used: p.gas_used };
    }
    default:
      return intent;
  }
}

/** The quorum after one member's signature; the threshold flips the status to approved, exactly once. */
function signed(intent: IntentRecord, approval: z.output<typeof ApprovalSignedPayload>): IntentRecord {
  const quorum = intent.authorization;
  if (intent.approval_status !== "pending" || quorum === null) {
    throw new ProjectionError("APPROVAL_SIGNED while no approval is pending");
  }
  const member = quorum.members.find((candidate) => candidate.address === approval.member);
  if (member === undefined) throw new ProjectionError(`${approval.member} is not a member of the quorum`);
  if (member.signed_at !== null) throw new ProjectionError(`${approval.member} has already signed`);
  const members = quorum.members.map((candidate) =>
    candidate === member ? { ...candidate, signed_at: approval.signed_at } : candidate,
  );
  const authorization = { ...quorum, members };
  const isMet = signedCount(authorization) >= authorization.threshold;
  return { ...intent, authorization, approval_status: isMet ? "approved" : "pending" };
}

/**
 * A pending quorum's end: rejected (by a member, or the intent was canceled while it waited), or expired
 * (out of time, or ended another way before the quorum decided). Never left pending on a terminal intent.
 */
function approvalExit(intent: IntentRecord, type: MessageType, code: string): IntentRecord["approval_status"] {
  if (code === "REJECTED_BY_QUORUM") return "rejected";
  if (intent.approval_status !== "pending") return intent.approval_status;
  return type === "INTENT_CANCELED" ? "rejected" : "expired";
}
