import { describe, expect, it } from "vitest";
import { trackInProgress } from "./detail-visits";

describe("trackInProgress", () => {
  it("is the intents with an event past INTENT_RECEIVED and none terminal, in any arrival order", () => {
    const events = [
      { intent_id: "waiting", message_type: "INTENT_RECEIVED" },
      { intent_id: "driven", message_type: "INTENT_RECEIVED" },
      { intent_id: "driven", message_type: "INTENT_ACKED" },
      { intent_id: "done", message_type: "INTENT_ACKED" },
      { intent_id: "done", message_type: "INTENT_COMPLETED" },
      { intent_id: "cancelled", message_type: "INTENT_CANCELED" },
      { intent_id: "cancelled", message_type: "INTENT_ACKED" },
      { intent_id: "executing", message_type: "TX_BROADCAST" },
    ];
    expect([...trackInProgress(events)()].sort()).toEqual(["driven", "executing"]);
  });

  it("follows the list as it grows: an intent joins when driven and leaves on any terminal event", () => {
    const events: { intent_id: string; message_type: string }[] = [];
    const inProgress = trackInProgress(events);
    expect(inProgress().size).toBe(0);
    events.push({ intent_id: "a", message_type: "INTENT_ACKED" }, { intent_id: "b", message_type: "INTENT_ACKED" });
    expect([...inProgress()].sort()).toEqual(["a", "b"]);
    events.push({ intent_id: "a", message_type: "INTENT_EXPIRED" }, { intent_id: "b", message_type: "TX_BROADCAST" });
    expect([...inProgress()]).toEqual(["b"]);
    events.push({ intent_id: "b", message_type: "INTENT_FAILED" }, { intent_id: "a", message_type: "TX_BROADCAST" });
    expect(inProgress().size).toBe(0);
  });
});
