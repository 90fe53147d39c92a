import { describe, expect, it } from "vitest";
import { advanceConsumer, leaseConsumer, listConsumers, releaseConsumer } from "./consumers";
import type { Db } from "./db";
import { DIALECTS, withTestDatabase } from "./test-support/databases";

describe.each(DIALECTS)("consumer cursors on %s", (dialect) => {
  let handle: Db;
  const t0 = new Date("2026-01-01T00:00:00Z");
  const later = (ms: number) => new Date(t0.getTime() + ms);

  withTestDatabase(dialect, (opened) => {
    handle = opened;
  });

  it("gives the lease to one owner at a time and hands it over when it runs out", async () => {
    const lease = { name: "relay", now: t0, leaseMs: 10_000, initialPosition: 7 };
    expect(await leaseConsumer(handle.db, { ...lease, owner: "a" })).toEqual({
      name: "relay",
      owner: "a",
      position: 7,
    });
    expect(await leaseConsumer(handle.db, { ...lease, owner: "b", now: later(5_000) })).toBeNull();
    // The holder renews; the other still waits.
    expect(await leaseConsumer(handle.db, { ...lease, owner: "a", now: later(9_000) })).not.toBeNull();
    expect(await leaseConsumer(handle.db, { ...lease, owner: "b", now: later(15_000) })).toBeNull();
    // "a" died: after its lease, "b" takes over at the cursor, not at its own initial position.
    expect(await leaseConsumer(handle.db, { ...lease, owner: "b", now: later(20_000), initialPosition: 0 })).toEqual({
      name: "relay",
      owner: "b",
      position: 7,
    });
  });

  it("advances only for the lease holder and never backwards; a release frees the lease at once", async () => {
    expect(await advanceConsumer(handle.db, { name: "relay", owner: "a", position: 9, now: later(21_000) })).toBe(
      false,
    );
    expect(await advanceConsumer(handle.db, { name: "relay", owner: "b", position: 9, now: later(21_000) })).toBe(true);
    expect(await advanceConsumer(handle.db, { name: "relay", owner: "b", position: 8, now: later(21_000) })).toBe(
      false,
    );
    await releaseConsumer(handle.db, "relay", "b");
    expect(
      await leaseConsumer(handle.db, {
        name: "relay",
        owner: "a",
        now: later(22_000),
        leaseMs: 10_000,
        initialPosition: 0,
      }),
    ).toEqual({ name: "relay", owner: "a", position: 9 });
    expect(await listConsumers(handle.db)).toEqual([{ name: "relay", position: 9, lease_owner: "a" }]);
  });
});
