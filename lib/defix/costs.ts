import { z } from "zod";
import { DecimalString, IsoDateTime } from "./common";

/**
 * What automation spent on gas (issue 19), from receipts: every mined transaction (successful or
 * reverted) counted once at `gas_used × effective_gas_price`, never by summing fills (a REBALANCE's two
 * fills share one transaction). Signed attempts that never mined (replaced by a fee bump, dropped)
 * cost nothing and are counted for context.
 */
export const CostGroupBy = z.enum(["day", "strategy", "action"]);
export type CostGroupBy = z.infer<typeof CostGroupBy>;

/** The longest range one request may cover. */
export const MAX_COST_RANGE_DAYS = 400;

export const CostsQuery = z.strictObject({
  /** Inclusive; default `to` − 30 days. */
  from: IsoDateTime.optional(),
  /** Exclusive; default now. */
  to: IsoDateTime.optional(),
  group_by: CostGroupBy.default("day"),
});
export type CostsQuery = z.input<typeof CostsQuery>;

export const CostFigures = z.object({
  /** Mined transactions (successful + reverted), each once. */
  transactions: z.number().int().nonnegative(),
  reverted_transactions: z.number().int().nonnegative(),
  /** Signed attempts that never mined (replaced by a fee bump, or dropped): no cost, shown for context. */
  unmined_attempts: z.number().int().nonnegative(),
  gas_used: DecimalString,
  /** Wei paid by transactions that succeeded. */
  successful_wei: DecimalString,
  /** Wei paid by transactions that reverted: spent for nothing. */
  wasted_wei: DecimalString,
  total_wei: DecimalString,
  completed_intents: z.number().int().nonnegative(),
  /** total_wei / completed_intents (integer wei), null when nothing completed. */
  wei_per_completed_intent: DecimalString.nullable(),
  /** Transactions mined before receipts were recorded: their cost is unknown and not in the totals. */
  unknown_cost_transactions: z.number().int().nonnegative(),
});
export type CostFigures = z.infer<typeof CostFigures>;

export const CostGroup = CostFigures.extend({
  /** The day (`YYYY-MM-DD`, UTC), the strategy id (or `-` for none) or the action. */
  key: z.string(),
});
export type CostGroup = z.infer<typeof CostGroup>;

export const VaultCosts = z.object({
  vault_id: z.string(),
  from: IsoDateTime,
  to: IsoDateTime,
  group_by: CostGroupBy,
  /** Always ETH today: no price source is configured to value gas in the vault's asset. */
  unit: z.literal("wei"),
  totals: CostFigures,
  /** Sorted by key (days ascending; every day of the range present when grouping by day). */
  groups: z.array(CostGroup),
});
export type VaultCosts = z.infer<typeof VaultCosts>;
