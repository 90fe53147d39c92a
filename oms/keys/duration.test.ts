import { describe, expect, it } from "vitest";
import { DomainError } from "../kernel/errors";
import { DEFAULT_EXPIRY_BOUNDS, parseRequestedExpiry } from "./duration";

function rejection(input: string): DomainError {
  try {
    parseRequestedExpiry(input);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error(`expected ${input} to be rejected`);
}

describe("parseRequestedExpiry", () => {
  it("uses the default when absent", () => {
    expect(parseRequestedExpiry(undefined)).toBe(168 * 3600);
  });

  it.each([
    ["168h", 168 * 3600],
    ["30m", 1800],
    ["7d", 7 * 86_400],
    ["3600s", 3600],
    ["30d", 30 * 86_400],
    ["10m", 600],
  ])("parses %s", (input, seconds) => {
    expect(parseRequestedExpiry(input)).toBe(seconds);
  });

  it.each(["0h", "-1h", "999d", "abc", "", "1.5h", "31d", "9m", "599s", "1w"])("rejects %s with the range", (input) => {
    const error = rejection(input);
    expect(error.status).toBe(400);
    expect(error.code).toBe("INVALID_EXPIRY");
    expect(error.message).toContain("10m to 30d");
    expect(error.details).toMatchObject({
      min_seconds: DEFAULT_EXPIRY_BOUNDS.minSeconds,
      max_seconds: DEFAULT_EXPIRY_BOUNDS.maxSeconds,
    });
  });
});
