import { describe, expect, it } from "vitest";
import { decide, type SourceSnapshot, type StrategyParams } from "./rules";

const A = "0x00000000000000000000000000000000000000aa" as const;
const B = "0x00000000000000000000000000000000000000bb" as const;
const C = "0x00000000000000000000000000000000000000cc" as const;

function source(address: `0x${string}`, sharePrice: bigint, positionAssets = 0n): SourceSnapshot {
  return { address, sharePrice, positionShares: positionAssets, positionAssets };
}

const inflow: StrategyParams = { kind: "INFLOW", min_free_assets: "10000000", size_expr: "vault_free_assets / 4" };
const outflow: StrategyParams = { kind: "OUTFLOW", amount: "5000000" };
const rebalance: StrategyParams = { kind: "REBALANCE", divisor: 2, min_amount: "1000000" };

describe("inflow rule", () => {
  it("deposits into the source with the highest share price once free assets exceed the threshold", () => {
    const sources = [source(A, 1_000_000n), source(B, 1_200_000n), source(C, 1_100_000n)];
    expect(decide(inflow, { freeAssets: 10_000_001n, sources })).toEqual({
      kind: "submit",
      action: "DEPOSIT",
      target: B,
      sizeExpr: "vault_free_assets / 4",
    });
  });

  it("waits while free assets are at or below the threshold", () => {
    expect(decide(inflow, { freeAssets: 10_000_000n, sources: [source(A, 1n)] }).kind).toBe("skip");
  });

  it("skips a vault without yield sources", () => {
    expect(decide(inflow, { freeAssets: 50_000_000n, sources: [] }).kind).toBe("skip");
  });
});

describe("outflow rule", () => {
  it("withdraws the fixed amount from the largest position", () => {
    const sources = [source(A, 1n, 7_000_000n), source(B, 1n, 90_000_000n)];
    expect(decide(outflow, { freeAssets: 0n, sources })).toMatchObject({
      action: "WITHDRAWAL",
      target: B,
      sizeExpr: "5000000",
    });
  });

  it("caps the amount at what the position holds", () => {
    const sources = [source(A, 1n, 3_000_000n)];
    expect(decide(outflow, { freeAssets: 0n, sources })).toMatchObject({ target: A, sizeExpr: "3000000" });
  });

  it("skips when the vault holds no position", () => {
    expect(decide(outflow, { freeAssets: 5n, sources: [source(A, 1n)] }).kind).toBe("skip");
  });
});

describe("rebalance rule", () => {
  it("moves half of the lowest-yield position into the highest-yield source", () => {
    const sources = [source(A, 1_000_000n, 40_000_000n), source(B, 1_300_000n), source(C, 1_100_000n, 10_000_000n)];
    expect(decide(rebalance, { freeAssets: 0n, sources })).toEqual({
      kind: "submit",
      action: "REBALANCE",
      target: A,
      destination: B,
      sizeExpr: "20000000",
    });
  });

  it("does nothing when every position already sits in the best source", () => {
    const sources = [source(A, 1_000_000n), source(B, 1_300_000n, 40_000_000n)];
    expect(decide(rebalance, { freeAssets: 0n, sources }).kind).toBe("skip");
  });

  it("does nothing when share prices are equal", () => {
    const sources = [source(A, 1_000_000n, 40_000_000n), source(B, 1_000_000n)];
    expect(decide(rebalance, { freeAssets: 0n, sources }).kind).toBe("skip");
  });

  it("skips a position too small to move", () => {
    const sources = [source(A, 1_000_000n, 1_000_000n), source(B, 1_300_000n)];
    expect(decide(rebalance, { freeAssets: 0n, sources }).kind).toBe("skip");
  });
});
