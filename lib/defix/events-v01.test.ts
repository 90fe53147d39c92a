import { describe, expect, it } from "vitest";
import type { IntentEvent } from "./events";
import { countAttempts, toV01Events } from "./events-v01";

const TX = `0x${"ab".repeat(32)}`;
const REPLACEMENT = `0x${"cd".repeat(32)}`;

function event(seq: number, message_type: IntentEvent["message_type"], payload: Record<string, unknown>): IntentEvent {
  return {
    event_id: `00000000-0000-4000-8000-00000000000${seq}`,
    intent_id: "00000000-0000-4000-8000-000000000000",
    seq_num: seq,
    message_type,
    execution_id: null,
    created_at: `2025-03-01T10:0${seq}:00.000Z`,
    payload,
  } as IntentEvent;
}

const completedRun: IntentEvent[] = [
  event(1, "INTENT_RECEIVED", {}),
  event(2, "INTENT_ACKED", {}),
  event(3, "INTENT_PLANNED", {}),
  event(4, "INTENT_EXECUTING", { tx_hash: TX }),
  event(5, "TX_REPLACED", { tx_hash: REPLACEMENT, replaced_tx_hash: TX }),
  event(6, "TX_MINED", { tx_hash: REPLACEMENT }),
  event(7, "INTENT_COMPLETED", { tx_hash: REPLACEMENT, gas_used: 180000 }),
];

describe("the v0.1 event view", () => {
  it("shows submitted, one processing per attempt and the end, as the first OMS page describes", () => {
    expect(toV01Events(completedRun)).toEqual([
      { timestamp: "2025-03-01T10:01:00.000Z", event_type: "submitted", details: {} },
      { timestamp: "2025-03-01T10:04:00.000Z", event_type: "processing", details: { attempt: 1, tx_hash: TX } },
      {
        timestamp: "2025-03-01T10:05:00.000Z",
        event_type: "processing",
        details: { attempt: 2, tx_hash: REPLACEMENT },
      },
      {
        timestamp: "2025-03-01T10:07:00.000Z",
        event_type: "completed",
        details: { tx_hash: REPLACEMENT, gas_used: 180000 },
      },
    ]);
  });

  it("numbers attempts across pages and reports failures with their error", () => {
    const earlier = completedRun.slice(0, 4);
    expect(countAttempts(earlier)).toBe(1);
    const error = { code: "EXECUTION_REVERTED", message: "reverted" };
    const page = [completedRun[4] as IntentEvent, event(8, "INTENT_FAILED", { error })];
    expect(toV01Events(page, countAttempts(earlier)).map((e) => [e.event_type, e.details])).toEqual([
      ["processing", { attempt: 2, tx_hash: REPLACEMENT }],
      ["failed", { error }],
    ]);
  });
});
