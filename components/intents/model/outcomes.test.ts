import { describe, expect, it } from "vitest";
import type { IntentState } from "@/lib/defix/intents";
import { describeFinished, finishedSince, remember } from "./outcomes";

const seen = (entries: [string, IntentState][]) => new Map(entries);

describe("history announcements", () => {
  it("names an intent watched moving into a final state", () => {
    const finished = finishedSince(seen([["aaaaaaaa-1", "EXECUTING"]]), [{ id: "aaaaaaaa-1", state: "COMPLETED" }]);
    expect(describeFinished(finished)).toBe("Intent aaaaaaaa completed.");
  });

  it("stays quiet for in-flight moves, new rows and rows first seen final", () => {
    const previous = seen([
      ["a", "ACKED"],
      ["b", "COMPLETED"],
    ]);
    const finished = finishedSince(previous, [
      { id: "a", state: "PLANNED" },
      { id: "b", state: "COMPLETED" },
      { id: "c", state: "FAILED" },
    ]);
    expect(finished).toEqual([]);
    expect(describeFinished(finished)).toBeNull();
  });

  it("summarises several outcomes in one sentence", () => {
    const previous = seen([
      ["a", "EXECUTING"],
      ["b", "EXECUTING"],
      ["c", "PLANNED"],
    ]);
    const finished = finishedSince(previous, [
      { id: "a", state: "COMPLETED" },
      { id: "b", state: "COMPLETED" },
      { id: "c", state: "FAILED" },
    ]);
    expect(describeFinished(finished)).toBe("3 intents finished: 2 completed, 1 failed.");
  });

  it("still speaks of an intent watched in flight that left the list for a while and came back final", () => {
    const memory = new Map<string, IntentState>();
    remember(memory, [{ id: "a", state: "EXECUTING" }]);
    remember(memory, [{ id: "b", state: "ACKED" }]);
    expect(describeFinished(finishedSince(memory, [{ id: "a", state: "COMPLETED" }]))).toBe("Intent a completed.");
  });

  it("keeps the newest intents once it holds its limit", () => {
    const memory = new Map<string, IntentState>();
    remember(
      memory,
      [
        { id: "a", state: "EXECUTING" },
        { id: "b", state: "EXECUTING" },
      ],
      2,
    );
    remember(memory, [{ id: "c", state: "EXECUTING" }], 2);
    expect([...memory.keys()]).toEqual(["b", "c"]);
    remember(memory, [{ id: "b", state: "COMPLETED" }], 2);
    expect(memory).toEqual(
      new Map([
        ["b", "COMPLETED"],
        ["c", "EXECUTING"],
      ]),
    );
  });
});
