import { describe, expect, it } from "vitest";
import type { Db } from "./db";
import { releaseLease, takeLease } from "./leases";
import { DIALECTS, withTestDatabase } from "./test-support/databases";

describe.each(DIALECTS)("leases between OMS processes on %s", (dialect) => {
  let handle: Db;
  const t0 = new Date("2026-01-01T00:00:00Z");
  const later = (ms: number) => new Date(t0.getTime() + ms);
  const lease = (owner: string, now: Date, name = "budget:v1") =>
    takeLease(handle.db, { name, owner, now, leaseMs: 10_000 });

  withTestDatabase(dialect, (opened) => {
    handle = opened;
  });

  it("one holder at a time; the holder renews; another takes it after release or expiry", async () => {
    expect(await lease("a", t0)).toBe(true);
    expect(await lease("b", later(1_000))).toBe(false);
    expect(await lease("a", later(2_000))).toBe(true);
    // Another name is another lease.
    expect(await lease("b", later(2_000), "budget:v2")).toBe(true);
    await releaseLease(handle.db, "budget:v1", "a");
    expect(await lease("b", later(3_000))).toBe(true);
    // "b" died holding it: "a" waits until it expires, then takes it.
    expect(await lease("a", later(12_000))).toBe(false);
    expect(await lease("a", later(13_001))).toBe(true);
    // A stale release by the old holder gives nothing away.
    await releaseLease(handle.db, "budget:v1", "b");
    expect(await lease("b", later(14_000))).toBe(false);
  });

  it("of many takers at the same moment, exactly one holds it", async () => {
    const owners = Array.from({ length: 8 }, (_, i) => `p${i}`);
    const taken = await Promise.all(owners.map((owner) => lease(owner, later(60_000), "budget:race")));
    expect(taken.filter(Boolean)).toHaveLength(1);
  });
});
