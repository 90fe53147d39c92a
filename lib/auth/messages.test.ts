import { describe, expect, it } from "vitest";
import { rateLimitRefusal, refusalMessage } from "./messages";

describe("refusalMessage", () => {
  it("tells a rate-limited user how long to wait", () => {
    expect(refusalMessage(rateLimitRefusal(42))).toBe(
      "Too many sign-in attempts from your network or account. Wait 42 seconds, then sign again.",
    );
    expect(refusalMessage(rateLimitRefusal(300))).toContain("Wait 5 minutes");
    expect(refusalMessage("RATE_LIMITED")).toContain("Wait a minute");
  });

  it("keeps the sentences of the other codes", () => {
    expect(refusalMessage("MALFORMED")).toBe("The wallet returned an unusable sign-in message.");
    expect(refusalMessage("nonsense")).toBe("Sign-in failed. Please try again.");
  });
});
