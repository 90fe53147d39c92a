import { describe, expect, it } from "vitest";
import type { BudgetState } from "@/lib/defix/limits";
import { budgetBar } from "./budget-bar-state";

const base: BudgetState = {
  hook: "0x00000000000000000000000000000000000000b2",
  hook_name: "Deposit4626Hook",
  max_amount: "100000000",
  max_executions: 4,
  period_seconds: 86_400,
  rolling: false,
  used_amount: "60000000",
  used_executions: 1,
  remaining_amount: "40000000",
  remaining_executions: 3,
  refill_at: "2026-12-03T12:00:00.000Z",
  exhausted: false,
};
const now = Date.parse("2026-12-02T12:00:00.000Z");

describe("budgetBar", () => {
  it("shows used / limit in tokens and executions, the fuller dimension as the bar, and the refill time", () => {
    expect(budgetBar(base, now)).toEqual({
      label: "Deposit budget per 1 d",
      percent: 60,
      usedText: "60 / 100 dUSD deposited, 1 / 4 executions",
      refillText: "refills at 2026-12-03 12:00 UTC",
      isExhausted: false,
    });
  });

  it("is full and says so when exhausted; a rolling window is whole again at refill_at", () => {
    const bar = budgetBar(
      { ...base, rolling: true, used_amount: "100000000", remaining_amount: "0", exhausted: true },
      now,
    );
    expect(bar).toMatchObject({ percent: 100, isExhausted: true, label: "Deposit budget per 1 d (rolling)" });
    expect(bar.refillText).toBe("whole again at 2026-12-03 12:00 UTC");
  });

  it("leaves out an unlimited dimension", () => {
    const bar = budgetBar({ ...base, max_amount: "0", max_executions: 10, used_executions: 5, refill_at: null }, now);
    expect(bar).toMatchObject({ percent: 50, usedText: "5 / 10 executions", refillText: null });
  });
});
