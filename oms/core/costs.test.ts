import { describe, expect, it } from "vitest";
import { tallyCosts } from "./costs";

const from = new Date("2026-03-01T00:00:00Z");
const to = new Date("2026-03-03T00:00:00Z");
const row = { strategy_id: "s1", action: "DEPOSIT" };

describe("tallyCosts", () => {
  it("sums wei beyond 64 bits exactly, keeps unknown-cost transactions out of the sums, and fills empty days", () => {
    const big = "300000000000000"; // 300,000 gwei per gas: 10^6 gas costs 3 × 10^20 wei
    const result = tallyCosts(
      {
        mined: [
          {
            ...row,
            tx_hash: "0x1",
            status: "MINED",
            gas_used: 1_000_000,
            effective_gas_price: big,
            mined_at: "2026-03-01T10:00:00.000Z",
          },
          {
            ...row,
            tx_hash: "0x2",
            status: "MINED",
            gas_used: 1_000_000,
            effective_gas_price: big,
            mined_at: "2026-03-01T11:00:00.000Z",
          },
          {
            ...row,
            tx_hash: "0x3",
            status: "REVERTED",
            gas_used: 50_000,
            effective_gas_price: "7",
            mined_at: "2026-03-01T12:00:00.000Z",
          },
          // Mined before receipts were recorded.
          {
            ...row,
            tx_hash: "0x4",
            status: "MINED",
            gas_used: null,
            effective_gas_price: null,
            mined_at: "2026-03-01T13:00:00.000Z",
          },
        ],
        unmined: [{ ...row, created_at: "2026-03-01T09:00:00.000Z" }],
        completed: [
          { ...row, completed_at: "2026-03-01T10:00:01.000Z" },
          { ...row, completed_at: "2026-03-01T11:00:01.000Z" },
        ],
      },
      "day",
      from,
      to,
    );
    expect(result.totals).toEqual({
      transactions: 4,
      reverted_transactions: 1,
      unmined_attempts: 1,
      gas_used: "2050000",
      successful_wei: "600000000000000000000",
      wasted_wei: "350000",
      total_wei: "600000000000000350000",
      completed_intents: 2,
      wei_per_completed_intent: "300000000000000175000",
      unknown_cost_transactions: 1,
    });
    expect(result.groups.map((group) => [group.key, group.transactions])).toEqual([
      ["2026-03-01", 4],
      ["2026-03-02", 0],
    ]);
    expect(result.groups[1]?.wei_per_completed_intent).toBeNull();
  });
});
