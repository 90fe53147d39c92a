import { describe, expect, it } from "vitest";
import type { CpuLoadResult } from "./cpu";
import { bracketedRatios, combineWindows } from "./interleave";

describe("bracketedRatios", () => {
  it("divides each target window by the yardstick windows on either side, so a steady drift cancels out", () => {
    // The machine loses speed throughout; the target is always half as fast as the yardstick at the same moment.
    const yardstick = [100, 80, 60, 40];
    const target = [45, 35, 25];
    expect(bracketedRatios(target, yardstick)).toEqual([0.5, 0.5, 0.5]);
    // The first-versus-last comparison this replaces would have said 0.36 or 0.71.
  });

  it("refuses lists that do not interleave", () => {
    expect(() => bracketedRatios([1, 2], [1, 2])).toThrow(/need 3 yardstick windows/);
  });
});

describe("combineWindows", () => {
  const window = (total: number, durationSec: number, cpuUsPerRequest: number, p50: number): CpuLoadResult => ({
    rps: total / durationSec,
    p50,
    p99: p50 * 4,
    mean: p50,
    total,
    non2xx: 0,
    errors: 1,
    timeouts: 0,
    status: { "200": total },
    durationSec,
    cpuUsPerRequest,
    postgresUsPerRequest: 0,
    machineBusyPercent: 90,
  });

  it("adds requests and time, weighs CPU per request by requests, and takes the windows' median latencies", () => {
    const combined = combineWindows([window(1000, 1, 100, 2), window(3000, 1, 50, 1), window(2000, 1, 80, 9)]);
    expect(combined.rps).toBe(2000);
    expect(combined.total).toBe(6000);
    expect(combined.cpuUsPerRequest).toBeCloseTo((1000 * 100 + 3000 * 50 + 2000 * 80) / 6000);
    expect(combined.p50).toBe(2);
    expect(combined.errors).toBe(3);
    expect(combined.status).toEqual({ "200": 6000 });
  });
});
