import { describe, expect, it } from "vitest";
import { intentsInProgress } from "./detail-visits";

describe("intentsInProgress", () => {
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
    expect([...intentsInProgress(events)].sort()).toEqual(["driven", "executing"]);
  });
});
