import { maxUint256 } from "viem";
import { describe, expect, it } from "vitest";
import type { Plan } from "../../lib/defix";
import { limitOfRevert, planSpend } from "./limits";

const REDEEM = "0x00000000000000000000000000000000000000a1";
const DEPOSIT = "0x00000000000000000000000000000000000000b2";

describe("planSpend", () => {
  it("charges a REBALANCE per leg, the previous-output leg at the simulated output of the leg before", () => {
    const plan = {
      size: "100",
      hooks: [REDEEM, DEPOSIT],
      hook_args: ["0x", "0x"],
      amounts: ["95", maxUint256.toString()],
      min_outputs: ["0", "0"],
      proofs: [[], []],
      simulated_outputs: ["101", "97"],
      gas_limit: "1",
    } as unknown as Plan;
    const spend = planSpend(plan);
    expect([...spend.values()]).toEqual([
      { amount: 95n, executions: 1n },
      { amount: 101n, executions: 1n },
    ]);
  });
});

describe("limitOfRevert", () => {
  it("turns BudgetExceeded and VaultPaused into waits and leaves other reverts alone", () => {
    const budget = limitOfRevert({
      name: "BudgetExceeded",
      args: ["0xvault", "0xABC", "5", "0", "3", "1767225600"],
      message: "BudgetExceeded(…)",
    });
    expect(budget).toEqual({ reason: "BUDGET_EXHAUSTED", hook: "0xabc", refill_at: "2026-01-01T00:00:00.000Z" });
    expect(limitOfRevert({ name: "VaultPaused", args: ["0xvault"], message: "" })).toEqual({ reason: "PAUSED" });
    expect(limitOfRevert({ name: "SlippageExceeded", args: [], message: "" })).toBeNull();
  });
});
