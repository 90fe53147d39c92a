import { z } from "zod";
import { Address, Bytes32, DecimalString, Hex, IntentId, IsoDateTime } from "./common";
import { Plan } from "./event-payloads";
import { AccountMode, IntentAction, SubmitIntentRequest } from "./intents";

/**
 * Refinement: an intent planned against a pinned block without storing an intent, signing or
 * sending anything (issue 16). Submitting with its `refinement_id` executes exactly that plan.
 */
export const RefinementId = z.string().uuid();

/** What planning read of the vault (at `block_number`), and what freshness compares at the head. */
export const VaultStateReading = z.object({
  vault_free_assets: DecimalString,
  vault_total_assets: DecimalString,
  position_assets: DecimalString,
  position_shares: DecimalString,
  hooks_root: Bytes32,
});
export type VaultStateReading = z.infer<typeof VaultStateReading>;

/** One hook call of the plan, decoded: which hook, which yield source, how much in and at least out. */
export const RefinedHookCall = z.object({
  index: z.number().int(),
  kind: z.enum(["deposit", "redeem"]),
  hook: Address,
  hook_name: z.string(),
  hook_args: Hex,
  /** `hook_args` decoded: `abi.encode(address yieldSource)`. */
  yield_source: Address,
  yield_source_symbol: z.string().nullable(),
  /** Amount passed to the hook (assets for a deposit, shares for a redeem); null = the previous hook's output. */
  amount: DecimalString.nullable(),
  min_output: DecimalString,
  simulated_output: DecimalString.nullable(),
});
export type RefinedHookCall = z.infer<typeof RefinedHookCall>;

/** Gas at the fee of the refinement's moment: the estimate, the limit the engine would sign, their cost in wei and ETH. */
export const RefinementGas = z.object({
  estimate: DecimalString,
  limit: DecimalString,
  max_fee_per_gas: DecimalString,
  cost_wei: DecimalString,
  cost_eth: z.string(),
  max_cost_wei: DecimalString,
  max_cost_eth: z.string(),
});

/** Who would sign: the vault's session key, in the vault's account mode (the OMS-driven modes: OMS, EIP7702). */
export const RefinementSigner = z.object({
  account_mode: AccountMode,
  session_key_address: Address.nullable(),
  is_ready: z.boolean(),
  readiness_reason: z.string().nullable(),
});

/** Why the plan would fail: the same code and hint an execution gets, and the decoded revert. */
export const RefinementError = z.object({
  code: z.string(),
  message: z.string(),
  title: z.string(),
  hint: z.string(),
  revert: z.object({ name: z.string(), args: z.array(z.string()), message: z.string() }).nullable(),
});

export const RefinementOutcome = z.enum(["PLANNED", "FAILED", "ABORTED"]);

export const Refinement = z.object({
  refinement_id: RefinementId,
  vault_id: z.string(),
  action: IntentAction,
  config_hash: Bytes32,
  requested_by: z.string(),
  block_number: z.number().int(),
  created_at: IsoDateTime,
  expires_at: IsoDateTime,
  outcome: RefinementOutcome,
  /** Evaluated `size_expr` in asset base units; null when it could not be evaluated. */
  size: DecimalString.nullable(),
  vault_state: VaultStateReading.nullable(),
  calls: z.array(RefinedHookCall),
  /** The executor the transaction goes to, and its calldata (`executeHooks`). */
  to: Address,
  calldata: Hex.nullable(),
  plan: Plan.nullable(),
  gas: RefinementGas.nullable(),
  signer: RefinementSigner,
  error: RefinementError.nullable(),
  /** The intent that was submitted with this refinement (a refinement is used at most once). */
  intent_id: IntentId.nullable(),
});
export type Refinement = z.infer<typeof Refinement>;

export const RefinementChange = z.object({
  field: z.string(),
  refined: z.string(),
  now: z.string(),
});

/** Whether the vault state the refinement read still holds at the head, within `tolerance_bps`. */
export const RefinementFreshness = z.object({
  is_fresh: z.boolean(),
  is_expired: z.boolean(),
  head_block: z.number().int(),
  checked_at: IsoDateTime,
  tolerance_bps: z.number().int(),
  changed: z.array(RefinementChange),
});
export type RefinementFreshness = z.infer<typeof RefinementFreshness>;

export const RefinementStatus = Refinement.extend({ freshness: RefinementFreshness });
export type RefinementStatus = z.infer<typeof RefinementStatus>;

/** REST submit: the intent, optionally with the refinement whose plan it must execute. */
export const SubmitIntentBody = SubmitIntentRequest.extend({ refinement_id: RefinementId.optional() });

/**
 * How far each vault-state figure may move (relative to the refined value, in basis points) before a
 * refinement is stale; a changed hooks root or a figure moving away from zero is always stale.
 */
export const REFINEMENT_TOLERANCE_BPS = 10;
/** A refinement answers submits for this long. */
export const REFINEMENT_TTL_SECONDS = 600;
/** Unexpired refinements one caller may hold. */
export const MAX_REFINEMENTS_PER_SUBJECT = 50;

/** JSON-RPC: `requestRefinement` takes `{intent}`, `getRefinementStatus` a list of ids. */
export const RequestRefinementParams = z.strictObject({ intent: SubmitIntentRequest });
export const GetRefinementStatusParams = z.array(RefinementId).min(1).max(20);
