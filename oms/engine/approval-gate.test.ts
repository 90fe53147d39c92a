import { describe, expect, it } from "vitest";
import type { ApprovalPolicy } from "../../lib/defix/approvals";
import type { Authorization } from "../../lib/defix/authorization";
import type { IntentRecord } from "../domain/record";
import { caughtBy, isBeyondTolerance, repended } from "./approval-gate";

const SOURCE = `0x${"5a".repeat(20)}`;
const DEST = `0x${"de".repeat(20)}`;
const record = {
  action: "REBALANCE",
  action_config: { target_address: SOURCE, execution_params: { to_yield_source: DEST } },
} as unknown as IntentRecord;
const policy = (rules: ApprovalPolicy["rules"]): ApprovalPolicy => ({
  display_name: "p",
  rules,
  members: { managers: true, addresses: [] },
  threshold: 1,
  tolerance_bps: 100,
});
const quorum = { size: "10000", size_block: 1, tolerance_bps: 100, members: [] } as unknown as Authorization;

describe("approval gate rules", () => {
  it("catches by action, size above the threshold, target (either side of a rebalance) and always", () => {
    expect(caughtBy(policy([{ kind: "action", actions: ["REBALANCE"] }]), record, 1n)).toEqual(["action REBALANCE"]);
    expect(caughtBy(policy([{ kind: "action", actions: ["DEPOSIT"] }]), record, 1n)).toEqual([]);
    expect(caughtBy(policy([{ kind: "size_above", threshold: "100" }]), record, 100n)).toEqual([]);
    expect(caughtBy(policy([{ kind: "size_above", threshold: "100" }]), record, 101n)).toEqual(["size above 100"]);
    expect(caughtBy(policy([{ kind: "target", addresses: [DEST as `0x${string}`] }]), record, 1n)).toEqual([
      `target ${DEST}`,
    ]);
    expect(caughtBy(policy([{ kind: "always" }]), record, 0n)).toEqual(["every intent"]);
  });

  it("a size within the tolerance keeps the approvals; beyond it the quorum is asked again, nobody signed", () => {
    expect(isBeyondTolerance(quorum, 10_100n)).toBe(false);
    expect(isBeyondTolerance(quorum, 9_900n)).toBe(false);
    expect(isBeyondTolerance(quorum, 10_101n)).toBe(true);
    const signed = {
      ...quorum,
      members: [{ type: "manager" as const, address: SOURCE as `0x${string}`, signed_at: "2026-01-01T00:00:00.000Z" }],
    };
    expect(repended(signed, { size: 20_000n, block: 9 })).toMatchObject({
      size: "20000",
      size_block: 9,
      members: [{ signed_at: null }],
    });
  });
});
