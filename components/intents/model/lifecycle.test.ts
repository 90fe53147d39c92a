import { describe, expect, it } from "vitest";
import { at, makeEvent, makeIntent } from "./fixtures";
import { deriveLifecycle, totalDurationMs } from "./lifecycle";

const kinds = (steps: ReturnType<typeof deriveLifecycle>) => steps.map((step) => `${step.state}:${step.kind}`);

describe("deriveLifecycle", () => {
  it("shows a completed intent's every step with how long each took", () => {
    const events = [
      makeEvent(1, "INTENT_RECEIVED", 0),
      makeEvent(2, "INTENT_ACKED", 1),
      makeEvent(3, "INTENT_STAGED", 3),
      makeEvent(4, "INTENT_PLANNED", 6),
      makeEvent(5, "TX_SIGNED", 6),
      makeEvent(6, "INTENT_EXECUTING", 7),
      makeEvent(7, "TX_MINED", 9),
      makeEvent(8, "INTENT_COMPLETED", 10),
    ];
    const intent = makeIntent({ state: "COMPLETED", seq_num: 8, completed_at: events[7]?.created_at ?? null });
    const steps = deriveLifecycle(intent, events, at(100));
    expect(kinds(steps)).toEqual([
      "RECEIVED:done",
      "ACKED:done",
      "STAGED:done",
      "PLANNED:done",
      "EXECUTING:done",
      "COMPLETED:completed",
    ]);
    expect(steps.map((step) => step.durationMs)).toEqual([1000, 2000, 3000, 1000, 3000, null]);
    expect(totalDurationMs(intent, at(100))).toBe(10_000);
  });

  it("places an exit right after the last step reached and marks the rest unreached", () => {
    const events = [
      makeEvent(1, "INTENT_RECEIVED", 0),
      makeEvent(2, "INTENT_ACKED", 1),
      makeEvent(3, "WAITING", 2, { reason: "SESSION_KEY_NOT_READY", message: "no key" }),
      makeEvent(4, "INTENT_CANCELED", 30, { error: { code: "CANCELED_BY_USER", message: "by user" } }),
    ];
    const intent = makeIntent({ state: "CANCELED", seq_num: 4 });
    const steps = deriveLifecycle(intent, events, at(100));
    expect(kinds(steps)).toEqual([
      "RECEIVED:done",
      "ACKED:done",
      "CANCELED:exit",
      "STAGED:unreached",
      "PLANNED:unreached",
      "EXECUTING:unreached",
      "COMPLETED:unreached",
    ]);
    expect(steps[1]?.durationMs).toBe(29_000);
  });

  it("counts the current step's time until now while in flight", () => {
    const events = [makeEvent(1, "INTENT_RECEIVED", 0), makeEvent(2, "INTENT_ACKED", 5)];
    const intent = makeIntent({ state: "ACKED", seq_num: 2 });
    const steps = deriveLifecycle(intent, events, at(65));
    expect(kinds(steps).slice(0, 3)).toEqual(["RECEIVED:done", "ACKED:current", "STAGED:pending"]);
    expect(steps[1]?.durationMs).toBe(60_000);
  });

  it("falls back to the row's timestamps before events load, and to them when events lag", () => {
    const intent = makeIntent({ state: "PLANNED", state_entered_at: new Date(at(8)).toISOString(), seq_num: 4 });
    const steps = deriveLifecycle(intent, [], at(10));
    expect(kinds(steps).slice(0, 5)).toEqual([
      "RECEIVED:done",
      "ACKED:passed",
      "STAGED:passed",
      "PLANNED:current",
      "EXECUTING:pending",
    ]);
    expect(steps[0]?.durationMs).toBe(8000);
    expect(steps[3]?.durationMs).toBe(2000);
  });

  it("shows an expiry straight from RECEIVED", () => {
    const events = [makeEvent(1, "INTENT_RECEIVED", 0), makeEvent(2, "INTENT_EXPIRED", 60)];
    const steps = deriveLifecycle(makeIntent({ state: "EXPIRED", seq_num: 2 }), events, at(61));
    expect(kinds(steps).slice(0, 3)).toEqual(["RECEIVED:done", "EXPIRED:exit", "ACKED:unreached"]);
  });
});
