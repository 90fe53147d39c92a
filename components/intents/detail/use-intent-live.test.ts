import { describe, expect, it } from "vitest";
import { makeEvent } from "../model/fixtures";
import { mergeEvents } from "./use-intent-live";

describe("mergeEvents", () => {
  it("keeps the log gapless and ordered when a resumed stream repeats or reorders events", () => {
    const held = [makeEvent(1, "INTENT_RECEIVED", 0), makeEvent(2, "INTENT_ACKED", 1)];
    const resumed = [
      makeEvent(4, "INTENT_PLANNED", 3),
      makeEvent(2, "INTENT_ACKED", 1),
      makeEvent(3, "INTENT_STAGED", 2),
    ];
    expect(mergeEvents(held, resumed).map((event) => event.seq_num)).toEqual([1, 2, 3, 4]);
  });
});
