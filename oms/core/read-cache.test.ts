import { describe, expect, it } from "vitest";
import { createReadCache } from "./read-cache";

function cache(options: { maxBytes?: number; isStorable?: () => boolean } = {}) {
  return createReadCache<string>({
    maxBytes: options.maxBytes ?? 1_000_000,
    maxEntries: 100,
    sizeOf: (value) => value.length,
    isStorable: options.isStorable ?? (() => true),
  });
}

/** A load the test finishes when it wants, counting how often the store was asked. */
function controlledLoads() {
  const pending: Array<(value: string) => void> = [];
  let calls = 0;
  return {
    load: () => {
      calls++;
      return new Promise<string | null>((resolve) => pending.push(resolve));
    },
    finish: (value: string) => pending.shift()?.(value),
    get calls() {
      return calls;
    },
  };
}

describe("read cache", () => {
  it("serves a stored answer without loading again, until its key is invalidated", async () => {
    const reads = cache();
    let calls = 0;
    const load = async () => `v${++calls}`;
    expect(await reads.read("a", load)).toBe("v1");
    expect(await reads.read("a", load)).toBe("v1");
    reads.invalidate(["a"]);
    expect(await reads.read("a", load)).toBe("v2");
    reads.clear();
    expect(await reads.read("a", load)).toBe("v3");
  });

  it("does not store a load a commit overtook, and starts a fresh one for later reads", async () => {
    const reads = cache();
    const loads = controlledLoads();
    const first = reads.read("a", loads.load);
    // The commit lands while the first load is reading the state before it.
    reads.invalidate(["a"]);
    const second = reads.read("a", loads.load);
    expect(loads.calls).toBe(2);
    loads.finish("before the commit");
    loads.finish("after the commit");
    expect(await first).toBe("before the commit");
    expect(await second).toBe("after the commit");
    expect(await reads.read("a", loads.load)).toBe("after the commit");
    expect(loads.calls).toBe(2);
  });

  it("shares one load among concurrent misses", async () => {
    const reads = cache();
    const loads = controlledLoads();
    const both = Promise.all([reads.read("a", loads.load), reads.read("a", loads.load)]);
    loads.finish("v");
    expect(await both).toEqual(["v", "v"]);
    expect(loads.calls).toBe(1);
  });

  it("stores nothing while it cannot hear commits, nor what it began loading then", async () => {
    let isStorable = false;
    const reads = cache({ isStorable: () => isStorable });
    const loads = controlledLoads();
    const early = reads.read("a", loads.load);
    isStorable = true;
    loads.finish("early");
    await early;
    const again = reads.read("a", loads.load);
    loads.finish("heard");
    expect(await again).toBe("heard");
    expect(loads.calls).toBe(2);
    expect(reads.stats().entries).toBe(1);
  });

  it("keeps within its byte bound, dropping the least recently read first", async () => {
    const reads = cache({ maxBytes: 3 * (100 + 2 + 160) });
    const value = "x".repeat(100);
    for (const key of ["a", "b", "c"]) await reads.read(key, async () => value);
    await reads.read("a", async () => "reloaded");
    await reads.read("d", async () => value);
    expect(reads.stats().entries).toBe(3);
    expect(reads.stats().bytes).toBeLessThanOrEqual(3 * (100 + 2 + 160));
    // b was the least recently read: gone; a stayed.
    expect(await reads.read("b", async () => "reloaded")).toBe("reloaded");
    expect(await reads.read("c", async () => "reloaded")).toBe("reloaded");
  });
});
