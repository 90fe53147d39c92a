import { z } from "zod";
import { Address, DecimalString, IsoDateTime } from "./common";

/**
 * On-chain limits of a vault's automation (issue 20): the registry's pause and the executor's per-hook budgets
 * (`StrategyBudgets`). Read by the OMS into readiness; the console draws the budget bars from it.
 */

export const BudgetState = z.object({
  /** The hook contract the budget is keyed by (one per action: deposit or redeem). */
  hook: Address,
  /** `Deposit4626Hook` / `Redeem4626Hook`, from the manifest's leaf labels. */
  hook_name: z.string(),
  /** In the hook's input token: assets for a deposit, shares for a redeem. "0" = no amount limit. */
  max_amount: DecimalString,
  /** 0 = no limit on the number of executions. */
  max_executions: z.number().int().nonnegative(),
  period_seconds: z.number().int().positive(),
  rolling: z.boolean(),
  used_amount: DecimalString,
  used_executions: z.number().int().nonnegative(),
  /** null when that dimension is unlimited. */
  remaining_amount: DecimalString.nullable(),
  remaining_executions: z.number().int().nonnegative().nullable(),
  /** When the budget is whole again (chain time); null when nothing is used. */
  refill_at: IsoDateTime.nullable(),
  /** Nothing left in one of the dimensions: the next execution of this hook waits until `refill_at`. */
  exhausted: z.boolean(),
});
export type BudgetState = z.infer<typeof BudgetState>;

export const VaultLimits = z.object({
  paused: z.boolean(),
  /** Hooks of the vault's tree that have a budget; hooks without one are unlimited. */
  budgets: z.array(BudgetState),
});
export type VaultLimits = z.infer<typeof VaultLimits>;

/** What readiness says about the limits: PAUSED stops every intent, BUDGET_EXHAUSTED those of an exhausted hook. */
export const LimitReason = z.enum(["PAUSED", "BUDGET_EXHAUSTED"]);
export type LimitReason = z.infer<typeof LimitReason>;

export function limitReason(limits: VaultLimits): LimitReason | null {
  if (limits.paused) return "PAUSED";
  return limits.budgets.some((budget) => budget.exhausted) ? "BUDGET_EXHAUSTED" : null;
}

const UINT128_MAX = (1n << 128n) - 1n;
/** `StrategyBudgets.MAX_BUDGET_PERIOD`. */
export const MAX_BUDGET_PERIOD_SECONDS = 366 * 86_400;

/** Body of POST …/limits/budget: the budget the primary manager's wallet will set (`period_seconds: 0` removes it). */
export const BudgetRequest = z.strictObject({
  /** One of the vault's hooks (from its merkle tree). */
  hook: Address,
  /** In the hook's input token, base units; "0" = no amount limit. */
  max_amount: DecimalString.refine((value) => BigInt(value) <= UINT128_MAX, "must fit in uint128"),
  max_executions: z.number().int().min(0).max(4_294_967_295),
  period_seconds: z.number().int().min(0).max(MAX_BUDGET_PERIOD_SECONDS),
  rolling: z.boolean(),
});
export type BudgetRequest = z.output<typeof BudgetRequest>;

/** Body of POST …/limits/guardian: name (or remove) an address that may pause the vault's automation. */
export const GuardianRequest = z.strictObject({ guardian: Address, enabled: z.boolean() });
export type GuardianRequest = z.output<typeof GuardianRequest>;
