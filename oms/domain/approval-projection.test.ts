import { describe, expect, it } from "vitest";
import type { IntentEvent, MessageType } from "../../lib/defix";
import type { Authorization } from "../../lib/defix/authorization";
import { receivedPayload } from "../store/test-support/fixtures";
import { ProjectionError, replay } from "./projector";

const ID = "6f1c2b1e-1d2c-4e5f-8a9b-0c1d2e3f4a5b";
const A = `0x${"a1".repeat(20)}`;
const B = `0x${"b2".repeat(20)}`;
const C = `0x${"c3".repeat(20)}`;

const quorum: Authorization = {
  display_name: "Large moves",
  policy_version: 3,
  members: [A, B, C].map((address) => ({
    type: "address" as const,
    address: address as `0x${string}`,
    signed_at: null,
  })),
  threshold: 2,
  tolerance_bps: 100,
  caught_by: ["size above 5"],
  size: "10",
  size_block: 7,
};

function events(...specs: Array<[MessageType, Record<string, unknown>?]>): IntentEvent[] {
  return specs.map(([message_type, payload = {}], i) => ({
    event_id: `e${i + 1}`,
    intent_id: ID,
    execution_id: null,
    message_type,
    seq_num: i + 1,
    payload,
    created_at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
  })) as IntentEvent[];
}

const waiting = ["WAITING", { reason: "APPROVAL_REQUIRED", message: "m", authorization: quorum }] as const;
const signedBy = (member: string) =>
  [
    "APPROVAL_SIGNED",
    {
      member,
      signature: "0x01",
      signed_at: "2026-01-01T00:01:00.000Z",
      size: "10",
      size_block: 7,
      policy_version: 3,
      submitted_by: member,
    },
  ] as [MessageType, Record<string, unknown>];
const received = ["INTENT_RECEIVED", { ...receivedPayload() }] as [MessageType, Record<string, unknown>];

describe("approval projection", () => {
  it("a WAITING with a quorum makes the intent pending; the threshold flips it to approved", () => {
    const pending = replay(events(received, [...waiting], signedBy(A)));
    expect(pending?.approval_status).toBe("pending");
    expect(pending?.authorization?.members.map((m) => m.signed_at !== null)).toEqual([true, false, false]);
    const approved = replay(events(received, [...waiting], signedBy(A), signedBy(C), ["INTENT_ACKED"]));
    expect(approved?.approval_status).toBe("approved");
    expect(approved?.state).toBe("ACKED");
  });

  it("refuses a second signature of one member, a signature after approval, a non-member, and ACKED while pending", () => {
    expect(() => replay(events(received, [...waiting], signedBy(A), signedBy(A)))).toThrow(ProjectionError);
    expect(() => replay(events(received, [...waiting], signedBy(A), signedBy(B), signedBy(C)))).toThrow(
      ProjectionError,
    );
    expect(() => replay(events(received, [...waiting], signedBy(`0x${"dd".repeat(20)}`)))).toThrow(ProjectionError);
    expect(() => replay(events(received, [...waiting], signedBy(A), ["INTENT_ACKED"]))).toThrow(ProjectionError);
    expect(() => replay(events(received, signedBy(A)))).toThrow(ProjectionError);
  });

  it("ends rejected by the quorum, or expired when the deadline passes while pending", () => {
    const cancel = { error: { code: "REJECTED_BY_QUORUM", message: "no" }, rejected_by: B };
    expect(replay(events(received, [...waiting], ["INTENT_CANCELED", cancel]))?.approval_status).toBe("rejected");
    const expire = { error: { code: "APPROVAL_TIMEOUT", message: "late" } };
    expect(replay(events(received, [...waiting], ["INTENT_EXPIRED", expire]))?.approval_status).toBe("expired");
    expect(replay(events(received, ["INTENT_EXPIRED", expire]))?.approval_status).toBe("not_required");
    const byUser = { error: { code: "CANCELED_BY_USER", message: "stop" } };
    expect(replay(events(received, [...waiting], ["INTENT_CANCELED", byUser]))?.approval_status).toBe("rejected");
  });
});
