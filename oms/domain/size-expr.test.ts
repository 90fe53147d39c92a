import { describe, expect, it } from "vitest";
import { evaluateSizeExpr, parseSizeExpr, type SizeEnv } from "./size-expr";

const env: SizeEnv = {
  vault_free_assets: 1000n,
  vault_total_assets: 5000n,
  position_assets: 300n,
  position_shares: 200n,
};

describe("size_expr", () => {
  it.each([
    ["1000000000", 1_000_000_000n],
    ["vault_free_assets / 2", 500n],
    ["vault_free_assets - 100 * 2", 800n],
    ["(vault_free_assets - 100) * 2", 1800n],
    ["vault_total_assets / 3", 1666n],
    [" position_assets+position_shares ", 500n],
    ["115792089237316195423570985008687907853269984665640564039457584007913129639935", 2n ** 256n - 1n],
  ])("evaluates %s", (source, expected) => {
    expect(evaluateSizeExpr(source, env)).toBe(expected);
  });

  it.each([
    ["", /ends too early/],
    ["vault_free_assets /", /ends too early/],
    ["1.5", /unexpected character/],
    ["process.exit()", /unexpected character|unknown variable/],
    ["constructor", /unknown variable/],
    ["1 2", /unexpected "2"/],
    ["(1 + 2", /expected "\)"/],
    ["-1", /unexpected "-"/],
    ["1 / 0", /division by zero/],
    ["position_assets - vault_free_assets", /below zero/],
    [`${"(".repeat(40)}1${")".repeat(40)}`, /nests too deeply/],
  ])("rejects %s", (source, message) => {
    expect(() => evaluateSizeExpr(source, env)).toThrow(message);
  });

  it("parses without vault state, so submit can reject bad syntax early", () => {
    expect(parseSizeExpr("vault_free_assets / 2")).toMatchObject({ kind: "bin", op: "/" });
  });
});
