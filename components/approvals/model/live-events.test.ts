import { describe, expect, it } from "vitest";
import { makeEvent } from "../../intents/model/fixtures";
import { affectsApprovalsQueue } from "./live-events";

const QUEUED = "11111111-1111-4111-8111-111111111111";
const ELSEWHERE = "22222222-2222-4222-8222-222222222222";
const queued = new Set([QUEUED]);

describe("which stream events refresh the approvals queue", () => {
  it("a new quorum to sign, a signature, or any step of a queued intent", () => {
    const caught = makeEvent(3, "WAITING", 1, { reason: "APPROVAL_REQUIRED", message: "2 of 2" }, ELSEWHERE);
    expect(affectsApprovalsQueue(caught, queued)).toBe(true);
    expect(affectsApprovalsQueue(makeEvent(4, "APPROVAL_SIGNED", 2, {}, ELSEWHERE), queued)).toBe(true);
    // A queued intent that moves on (approved elsewhere, canceled, expired) leaves the queue.
    expect(affectsApprovalsQueue(makeEvent(5, "INTENT_ACKED", 3, {}, QUEUED), queued)).toBe(true);
    expect(affectsApprovalsQueue(makeEvent(6, "INTENT_CANCELED", 3, {}, QUEUED), queued)).toBe(true);
  });

  it("other intents' progress and other waits leave the queue alone", () => {
    expect(affectsApprovalsQueue(makeEvent(7, "INTENT_ACKED", 3, {}, ELSEWHERE), queued)).toBe(false);
    const keyWait = makeEvent(8, "WAITING", 4, { reason: "SESSION_KEY_NOT_READY", message: "no key" }, ELSEWHERE);
    expect(affectsApprovalsQueue(keyWait, queued)).toBe(false);
  });
});
