import { describe, expect, it } from "vitest";
import type { ApprovalPolicy } from "@/lib/defix/approvals";
import { describeRule, EMPTY_FORM, formFromPolicy, policyFromForm } from "./policy-form";

const policy: ApprovalPolicy = {
  display_name: "Large moves",
  rules: [
    { kind: "action", actions: ["REBALANCE"] },
    { kind: "size_above", threshold: "5000000" },
  ],
  members: { managers: true, addresses: ["0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc"] },
  threshold: 2,
  tolerance_bps: 50,
};

describe("the policy editor's form", () => {
  it("round-trips a policy through the form", () => {
    expect(policyFromForm(formFromPolicy(policy))).toEqual({ policy });
  });
  it("says what is wrong instead of sending an invalid policy", () => {
    expect(policyFromForm({ ...EMPTY_FORM, display_name: "x" })).toEqual({ error: expect.stringMatching(/^rules/) });
    const noMembers = { ...formFromPolicy(policy), managers: false, addresses: "" };
    expect(policyFromForm(noMembers)).toEqual({ error: expect.stringContaining("needs members") });
    expect(policyFromForm({ ...formFromPolicy(policy), addresses: "0x123" })).toHaveProperty("error");
  });
  it("describes rules in words", () => {
    expect(describeRule({ kind: "size_above", threshold: "10" })).toBe("size above 10 base units");
  });
});
