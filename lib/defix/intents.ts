import { z } from "zod";
import { ApprovalStatus, Authorization } from "./authorization";
import { Address, Bytes32, DecimalString, Hex, IntentId, IsoDateTime, TxHash, VaultId } from "./common";
import { INTENT_ACTIONS, INTENT_STATES, LEGACY_STATUSES } from "./states";

export { isTerminalState, isTerminalStateName, legacyStatus, statesOfLegacyStatus, TERMINAL_STATES } from "./states";

export const IntentState = z.enum(INTENT_STATES);
export type IntentState = z.infer<typeof IntentState>;

/** The older 4-value view of the first OMS page, derived from `state`. */
export const LegacyStatus = z.enum(LEGACY_STATUSES);
export type LegacyStatus = z.infer<typeof LegacyStatus>;

export const IntentAction = z.enum(INTENT_ACTIONS);
export type IntentAction = z.infer<typeof IntentAction>;

export const Objective = z.enum(["MIN_SLIPPAGE", "MIN_TIME", "BALANCED"]);
export const AccountMode = z.enum(["OMS", "EIP4337", "EIP4337_COMPANION", "EIP7702"]);
export type AccountMode = z.infer<typeof AccountMode>;

/**
 * `size_expr`: asset base units as a decimal string, or a small arithmetic expression over
 * vault state (`vault_free_assets / 2`). Parsed by the OMS's evaluator, never `eval`ed.
 */
export const SizeExpr = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[0-9a-z_+\-*/(). ]+$/, "may hold digits, identifiers, + - * / ( ) and spaces only");

export const ActionConfig = z.strictObject({
  size_expr: SizeExpr,
  execution_name: z.string().min(1).max(64),
  execution_address: Address,
  target_address: Address,
  from_address: Address,
  max_slippage_bps: z.number().int().min(0).max(10_000),
  /** For REBALANCE: the yield source to move into (`target_address` is the one to leave). */
  execution_params: z.record(z.string().max(64), z.union([z.string().max(200), z.number(), z.boolean()])).default({}),
});
export type ActionConfig = z.output<typeof ActionConfig>;

/** One merkle proof per hook the intent executes; REBALANCE runs two hooks (redeem, deposit). */
export const HookProof = z.strictObject({
  hook: Address,
  hook_args: Hex,
  proof: z.array(Bytes32).max(64),
});

export const AuthSigning = z.strictObject({
  root: Bytes32,
  /** Single-hook form of the first OMS page: the proof of the action's hook. */
  proof: z.union([z.array(Bytes32).max(64), Hex]).optional(),
  /** Multi-hook form: a proof per hook, in execution order. */
  proofs: z.array(HookProof).max(8).optional(),
});
export type AuthSigning = z.output<typeof AuthSigning>;

export const SubmitIntentRequest = z.strictObject({
  vault_id: VaultId,
  strategy_id: z.string().min(1).max(128).optional(),
  action: IntentAction,
  objective: Objective.default("BALANCED"),
  action_config: ActionConfig,
  auth_signing: AuthSigning,
  account_mode: AccountMode.default("OMS"),
  /** Absolute deadline; or `ttl_seconds` from receipt. Defaults to the server's default TTL. */
  deadline: IsoDateTime.optional(),
  ttl_seconds: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 3600)
    .optional(),
});
export type SubmitIntentRequest = z.input<typeof SubmitIntentRequest>;
export type SubmitIntent = z.output<typeof SubmitIntentRequest>;

export const IntentError = z.object({ code: z.string(), message: z.string() });

export const Intent = z.object({
  id: IntentId,
  vault_id: z.string(),
  strategy_id: z.string().nullable(),
  action: IntentAction,
  objective: Objective,
  account_mode: AccountMode,
  action_config: ActionConfig,
  state: IntentState,
  status: LegacyStatus,
  seq_num: z.number().int(),
  config_hash: Bytes32,
  /** Resolved size in asset base units once PLANNED; null before. */
  size: DecimalString.nullable(),
  deadline: IsoDateTime,
  created_at: IsoDateTime,
  updated_at: IsoDateTime,
  state_entered_at: IsoDateTime,
  completed_at: IsoDateTime.nullable(),
  tx_hash: TxHash.nullable(),
  gas_used: z.number().int().nullable(),
  error: IntentError.nullable(),
  submitted_by: z.string(),
  /** Whether the vault's approval policy holds the intent, and where its quorum stands (issue 15). */
  approval_status: ApprovalStatus,
  /** The quorum that must sign, with who signed when; null when no policy caught the intent. */
  authorization: Authorization.nullable(),
});
export type Intent = z.infer<typeof Intent>;

export const ListIntentsQuery = z.strictObject({
  vault_id: VaultId.optional(),
  state: z.union([IntentState, z.array(IntentState)]).optional(),
  /** The older page's 4-value status (repeatable); combined with `state` both must hold. */
  status: z.union([LegacyStatus, z.array(LegacyStatus)]).optional(),
  action: IntentAction.optional(),
  strategy_id: z.string().max(128).optional(),
  approval_status: ApprovalStatus.optional(),
  from: IsoDateTime.optional(),
  to: IsoDateTime.optional(),
  q: z.string().max(100).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type ListIntentsQuery = z.output<typeof ListIntentsQuery>;

export const FacetCounts = z.record(z.string(), z.number().int());
export const IntentFacets = z.object({
  state: FacetCounts,
  action: FacetCounts,
  vault_id: FacetCounts,
  strategy_id: FacetCounts,
});
export type IntentFacets = z.infer<typeof IntentFacets>;

export const IntentList = z.object({
  data: z.array(Intent),
  next_cursor: z.string().nullable(),
  facets: IntentFacets,
});
export type IntentList = z.infer<typeof IntentList>;

export const SubmitIntentResponse = Intent;
