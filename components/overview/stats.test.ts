import { describe, expect, it } from "vitest";
import { makeIntent } from "@/components/intents/model/fixtures";
import { hourBuckets, vaultStats } from "./stats";

const now = Date.parse("2026-01-02T12:30:00.000Z");
const iso = (ms: number) => new Date(ms).toISOString();

describe("vaultStats", () => {
  it("counts in-flight from all states and outcomes from the last day", () => {
    const rows = [
      makeIntent({ id: "a", state: "COMPLETED", created_at: iso(now - 60_000), completed_at: iso(now - 50_000) }),
      makeIntent({ id: "b", state: "COMPLETED", created_at: iso(now - 60_000), completed_at: iso(now - 30_000) }),
      makeIntent({ id: "c", state: "COMPLETED", created_at: iso(now - 60_000), completed_at: iso(now) }),
      makeIntent({ id: "d", state: "FAILED", created_at: iso(now - 60_000), completed_at: iso(now - 1000) }),
    ];
    const stats = vaultStats(
      { ACKED: 2, EXECUTING: 1, COMPLETED: 40, FAILED: 3, CANCELED: 1 },
      { COMPLETED: 3, FAILED: 1, CANCELED: 5 },
      rows,
      now,
    );
    expect(stats.inFlight).toBe(3);
    expect(stats.failures24h).toBe(1);
    expect(stats.successRate).toBe(0.75);
    expect(stats.medianCompleteMs).toBe(30_000);
  });
  it("has no success rate or median without finished intents", () => {
    const stats = vaultStats({}, { CANCELED: 2 }, [], now);
    expect(stats.successRate).toBeNull();
    expect(stats.medianCompleteMs).toBeNull();
  });
});

describe("hourBuckets", () => {
  it("puts outcomes into the hour they finished and drops older ones", () => {
    const rows = [
      makeIntent({ id: "a", state: "COMPLETED", completed_at: "2026-01-02T12:05:00.000Z" }),
      makeIntent({ id: "b", state: "EXPIRED", completed_at: "2026-01-02T11:59:00.000Z" }),
      makeIntent({ id: "c", state: "COMPLETED", completed_at: "2026-01-01T12:59:00.000Z" }),
      makeIntent({ id: "d", state: "COMPLETED", completed_at: "2026-01-01T13:00:00.000Z" }),
    ];
    const buckets = hourBuckets(rows, now);
    expect(buckets).toHaveLength(24);
    expect(buckets[23]).toMatchObject({ completed: 1, failed: 0 });
    expect(buckets[22]).toMatchObject({ completed: 0, failed: 1 });
    expect(buckets[0]).toMatchObject({ start: Date.parse("2026-01-01T13:00:00.000Z"), completed: 1 });
    expect(buckets.reduce((total, b) => total + b.completed + b.failed, 0)).toBe(3);
  });
});
