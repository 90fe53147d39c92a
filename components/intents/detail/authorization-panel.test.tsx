import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { Authorization } from "@/lib/defix/authorization";
import { makeIntent } from "../model/fixtures";
import { AuthorizationPanel } from "./authorization-panel";

const A: `0x${string}` = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
const B: `0x${string}` = "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc";

const authorization: Authorization = {
  display_name: "Large rebalances",
  policy_version: 3,
  members: [
    { type: "manager", address: A, signed_at: "2026-01-01T11:00:00.000Z" },
    { type: "address", address: B, signed_at: null },
  ],
  threshold: 2,
  tolerance_bps: 100,
  caught_by: ["size above 1000000"],
  size: "5000000",
  size_block: 10,
};

describe("the intent's authorization block", () => {
  it("is absent when no policy caught the intent", () => {
    expect(renderToStaticMarkup(<AuthorizationPanel intent={makeIntent()} me={null} />)).toBe("");
  });
  it("shows the policy version, the rule, who signed and how many more are needed", () => {
    const html = renderToStaticMarkup(
      <AuthorizationPanel intent={makeIntent({ approval_status: "pending", authorization })} me={B} />,
    );
    expect(html).toContain("policy version");
    expect(html).toContain(">3<");
    expect(html).toContain("size above 1000000");
    expect(html).toContain("1 of 2 required signatures — 1 more needed");
    expect(html).toContain('data-approval-status="pending"');
    expect(html).toMatch(/data-member="0x7099[^"]*" data-signed="true"/);
    expect(html).toMatch(/data-member="0x3c44[^"]*" data-signed="false"/);
    expect(html).toContain("(you)");
  });
  it("says when the threshold is met", () => {
    const members = authorization.members.map((member) => ({ ...member, signed_at: "2026-01-01T11:00:00.000Z" }));
    const html = renderToStaticMarkup(
      <AuthorizationPanel
        intent={makeIntent({ approval_status: "approved", authorization: { ...authorization, members } })}
        me={null}
      />,
    );
    expect(html).toContain("2 of 2 required signatures — threshold met");
    expect(html).toContain('data-approval-status="approved"');
  });
});
