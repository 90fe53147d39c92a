import { z } from "zod";
import { Address, DecimalString, Hex, IsoDateTime } from "./common";
import { LimitReason, VaultLimits } from "./limits";

export const NotReadyReason = z.enum([
  "NO_KEY",
  "EXPIRED",
  "REVOKED",
  "GENERATION_CHANGED",
  "MANAGER_CHANGED",
  "KEY_NOT_HELD",
  "MISSING_PERMISSION",
  "CHAIN_UNAVAILABLE",
  /** The key is valid but holds too little ETH to pay gas for the next executions. */
  "INSUFFICIENT_GAS",
  /** ERC-4337 modes: the account's EntryPoint deposit is below what the next user ops may cost. */
  "INSUFFICIENT_DEPOSIT",
  /** EIP7702: the strategy EOA does not (or no longer) delegate to the account implementation (eth_getCode). */
  "DELEGATION_MISSING",
  /** The vault's automation is paused on-chain (VaultRegistry): every session key is refused. */
  "PAUSED",
]);
export type NotReadyReason = z.infer<typeof NotReadyReason>;

export const Readiness = z.object({
  vault_id: z.string(),
  is_ready: z.boolean(),
  session_key_address: Address.nullable(),
  expires_at: IsoDateTime.nullable(),
  pending_rotation: z.boolean(),
  reason: NotReadyReason.nullable(),
  pending_session_key_address: Address.nullable(),
  checked_at: IsoDateTime,
  /**
   * Wei the signing key holds for gas, when the OMS looked it up (a valid key); optional so older
   * producers stay valid.
   */
  balance_wei: DecimalString.nullable().optional(),
  /** The least `balance_wei` must reach (key balance, or the account's EntryPoint deposit in 4337 modes). */
  required_wei: DecimalString.nullable().optional(),
  /** On-chain pause and budgets (issue 20); optional so older producers stay valid. */
  limits: VaultLimits.optional(),
  /** PAUSED, or BUDGET_EXHAUSTED when a hook's budget is used up (other hooks may still run); null otherwise. */
  limit_reason: LimitReason.nullable().optional(),
});
export type Readiness = z.infer<typeof Readiness>;

/** A duration: `168h`, `30m`, `7d`, `3600s`. */
export const Duration = z.string().regex(/^[1-9][0-9]{0,6}(s|m|h|d)$/, "must be a duration like 168h, 30m, 7d");

export const GrantQuery = z.strictObject({ requested_expiry: Duration.optional() });

/** Calldata the manager's wallet signs and sends; `value` is wei as a decimal string. */
export const PreparedTransaction = z.object({
  to: Address,
  data: Hex,
  value: DecimalString,
  chain_id: z.number().int(),
  session_key_address: Address.nullable(),
  expires_at: IsoDateTime.nullable(),
});
export type PreparedTransaction = z.infer<typeof PreparedTransaction>;

export const SessionKeyEventType = z.enum([
  "PREPARED",
  "GRANTED",
  "ROTATION_PREPARED",
  "ROTATED",
  "ROTATION_CANCELED",
  "REVOKE_PREPARED",
  "REVOKED",
  "EXPIRED",
  "INVALIDATED",
  /** On-chain limits (issue 20): OMS prepares … */
  "BUDGET_PREPARED",
  "PAUSE_PREPARED",
  "UNPAUSE_PREPARED",
  "GUARDIAN_PREPARED",
  /** … and what the chain did (executor `BudgetSet`, registry `VaultPaused` / `VaultUnpaused` / `GuardianSet`). */
  "BUDGET_SET",
  "PAUSED",
  "UNPAUSED",
  "GUARDIAN_SET",
]);

export const SessionKeyHistoryEntry = z.object({
  id: z.string(),
  vault_id: z.string(),
  type: SessionKeyEventType,
  session_key_address: Address.nullable(),
  actor: z.string().nullable(),
  tx_hash: z.string().nullable(),
  expires_at: IsoDateTime.nullable(),
  created_at: IsoDateTime,
  /** Limit entries: the hook or guardian concerned and the values set (decimal strings), when known. */
  details: z.record(z.string(), z.string()).optional(),
});
export const SessionKeyHistory = z.object({ entries: z.array(SessionKeyHistoryEntry) });
export type SessionKeyHistory = z.infer<typeof SessionKeyHistory>;
