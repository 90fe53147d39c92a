import { z } from "zod";
import { Authorization } from "./authorization";
import { Bytes32, DecimalString, Hex, IsoDateTime, TxHash } from "./common";
import { AccountMode, AuthSigning, Intent, IntentError } from "./intents";

/*
 * The payload of each event type, as the OMS writes it (it type-checks its writes against these) and
 * every reader may rely on. Loose objects: a reader keeps fields a newer OMS adds instead of
 * dropping the event.
 */

/** What the engine executes: one entry per hook, in order, as the vault's `executeHooks` takes them. */
export const Plan = z.object({
  size: DecimalString,
  hooks: z.array(Hex),
  hook_args: z.array(Hex),
  amounts: z.array(DecimalString),
  min_outputs: z.array(DecimalString),
  proofs: z.array(z.array(Hex)),
  /** Outputs the eth_call simulation returned, for the event log. */
  simulated_outputs: z.array(DecimalString),
  gas_limit: DecimalString,
});
export type Plan = z.infer<typeof Plan>;

/** The submission as accepted: the intent's own fields plus what the OMS derived from it. */
export const ReceivedPayload = Intent.pick({
  vault_id: true,
  strategy_id: true,
  action: true,
  objective: true,
  account_mode: true,
  action_config: true,
})
  .extend({ auth_signing: AuthSigning, config_hash: Bytes32, deadline: IsoDateTime, submitted_by: z.string() })
  .loose();
export type ReceivedPayload = z.input<typeof ReceivedPayload>;

/** The hooks root the proofs verified against, and the hooks the intent will run. */
export const AckedPayload = z.looseObject({
  root: z.string(),
  hooks: z.array(z.object({ hook: z.string(), hook_args: Hex })),
});

export const StagedPayload = z.looseObject({ session_key_address: z.string(), account_mode: AccountMode.optional() });

export const PlannedPayload = z.looseObject({ plan: Plan });

/**
 * Why the intent waits: `reason` is SESSION_KEY_NOT_READY, FEE_CAP_EXCEEDED, APPROVAL_REQUIRED, BUDGET_EXHAUSTED or
 * PAUSED, `message` says it in words.
 */
export const WaitingPayload = z.looseObject({
  reason: z.string(),
  message: z.string(),
  /** The readiness code behind SESSION_KEY_NOT_READY (e.g. INSUFFICIENT_GAS). */
  readiness_reason: z.string().nullable().optional(),
  /** FEE_CAP_EXCEEDED: what the transaction could cost and the cap, in wei. */
  max_cost_wei: DecimalString.optional(),
  cap_wei: DecimalString.optional(),
  /** APPROVAL_REQUIRED: the quorum that must sign (no one has signed yet), fixed by the policy version in force. */
  authorization: Authorization.optional(),
  /** BUDGET_EXHAUSTED: the hook out of budget and when its budget is whole again (chain time). */
  hook: z.string().optional(),
  refill_at: z.string().nullable().optional(),
});

/** One signed transaction attempt. */
export const AttemptPayload = z.looseObject({
  tx_hash: TxHash,
  nonce: z.number(),
  signer: z.string(),
  max_fee_per_gas: DecimalString,
  max_priority_fee_per_gas: DecimalString,
});
export const SignedPayload = AttemptPayload.extend({ gas_limit: DecimalString });
export const ExecutingPayload = AttemptPayload;
export const ReplacedPayload = AttemptPayload.extend({ replaced_tx_hash: TxHash });

export const BroadcastPayload = z.looseObject({
  tx_hash: TxHash,
  nonce: z.number(),
  block_number: z.number(),
  /** How the node took it (accepted, already known, …). */
  node: z.string(),
});

/**
 * The node refused the transaction (`reason`; `code` tells "the key cannot pay" from other refusals),
 * or, while tracking, the node no longer knew it and it was offered again (`resent`, `detail`).
 */
export const DroppedPayload = z.looseObject({
  tx_hash: TxHash,
  nonce: z.number(),
  reason: z.string().optional(),
  code: z.string().nullable().optional(),
  resent: z.boolean().optional(),
  detail: z.string().optional(),
});

export const MinedPayload = z.looseObject({
  tx_hash: TxHash,
  nonce: z.number().optional(),
  block_number: z.number(),
  gas_used: z.number(),
  status: z.enum(["success", "reverted"]),
  mined_at: IsoDateTime.optional(),
});

export const CompletedPayload = z.looseObject({ tx_hash: TxHash, gas_used: z.number() });

/** ABORTED, EXPIRED, FAILED and CANCELED say why in `error`. */
export const TerminalErrorPayload = z.looseObject({
  error: IntentError,
  /** FAILED after mining: the reverted transaction. */
  tx_hash: TxHash.optional(),
  /** CANCELED: who asked. */
  canceled_by: z.string().optional(),
  /** CANCELED with REJECTED_BY_QUORUM: the member who rejected and their signature. */
  rejected_by: z.string().optional(),
  signature: Hex.optional(),
});

export const CancelRequestedPayload = z.looseObject({});
