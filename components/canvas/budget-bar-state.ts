import type { BudgetState } from "@/lib/defix/limits";
import { formatTokenAmount } from "@/lib/format/amount";

/** Which hooks' budgets bound a lane's strategies: inflow deposits, outflow redeems, a rebalance does both. */
export const LANE_HOOKS = {
  INFLOW: ["Deposit4626Hook"],
  OUTFLOW: ["Redeem4626Hook"],
  REBALANCE: ["Redeem4626Hook", "Deposit4626Hook"],
} as const;

export interface BudgetBar {
  label: string;
  /** 0–100: the larger of the amount and the execution share used. */
  percent: number;
  usedText: string;
  refillText: string | null;
  isExhausted: boolean;
}

const UNIT: Record<string, string> = { Deposit4626Hook: "dUSD deposited", Redeem4626Hook: "shares redeemed" };
/** dUSD and the yield sources' shares both have 6 decimals in this deployment. */
const DECIMALS = 6;

const share = (used: bigint, max: bigint) => (max === 0n ? 0 : Number((used * 10_000n) / max) / 100);

function period(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400} d`;
  if (seconds % 3_600 === 0) return `${seconds / 3_600} h`;
  return `${seconds} s`;
}

/** What the canvas draws for one hook's budget: used / limit per window, and when it refills. */
export function budgetBar(budget: BudgetState, now: number = Date.now()): BudgetBar {
  const maxAmount = BigInt(budget.max_amount);
  const usedAmount = BigInt(budget.used_amount);
  const parts: string[] = [];
  if (maxAmount > 0n) {
    parts.push(
      `${formatTokenAmount(usedAmount, DECIMALS)} / ${formatTokenAmount(maxAmount, DECIMALS)} ${UNIT[budget.hook_name] ?? "units"}`,
    );
  }
  if (budget.max_executions > 0) parts.push(`${budget.used_executions} / ${budget.max_executions} executions`);
  const percent = Math.min(
    100,
    Math.max(
      share(usedAmount, maxAmount),
      budget.max_executions > 0 ? (budget.used_executions * 100) / budget.max_executions : 0,
    ),
  );
  const refillAt = budget.refill_at ? Date.parse(budget.refill_at) : null;
  const refillText =
    refillAt === null
      ? null
      : refillAt <= now
        ? "refilled"
        : `${budget.rolling ? "whole again" : "refills"} at ${new Date(refillAt).toISOString().slice(0, 16).replace("T", " ")} UTC`;
  return {
    label: `${budget.hook_name.replace("4626Hook", "")} budget per ${period(budget.period_seconds)}${budget.rolling ? " (rolling)" : ""}`,
    percent,
    usedText: parts.join(", ") || "no limit",
    refillText,
    isExhausted: budget.exhausted,
  };
}
