import { describe, expect, it } from "vitest";
import { argNumber, argPort } from "./args";

describe("bench and reliability arguments", () => {
  it("a port defaults to 0 (a free one) and takes 0 or a port given", () => {
    expect(argPort("nats-port", 0)).toBe(0);
    process.argv.push("--nats-port", "4222");
    try {
      expect(argPort("nats-port", 0)).toBe(4222);
    } finally {
      process.argv.splice(-2, 2);
    }
  });

  it("refuses what is not a port, and a count that is not positive", () => {
    process.argv.push("--nats-port=70000", "--events=0");
    try {
      expect(() => argPort("nats-port", 0)).toThrow(/must be a port/);
      expect(() => argNumber("events", 600)).toThrow(/positive number/);
    } finally {
      process.argv.splice(-2, 2);
    }
  });
});
