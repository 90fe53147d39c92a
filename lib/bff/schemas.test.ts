import { describe, expect, it } from "vitest";
import { toSearchParams } from "./path";
import { StreamQuery } from "./schemas";

describe("StreamQuery", () => {
  it("passes a resume position through to the OMS, and refuses one that is not a position", () => {
    const query = StreamQuery.parse({ after: "42" });
    expect(toSearchParams(query).toString()).toBe("after=42");
    expect(StreamQuery.safeParse({ after: "-1" }).success).toBe(false);
    expect(StreamQuery.safeParse({ after: "x" }).success).toBe(false);
  });
});
