import type { JWTPayload } from "jose";
import { describe, expect, it } from "vitest";
import { cacheVerifications } from "./token-cache";

const T0 = 1_800_000_000_000;

function counting(claimsFor: (token: string) => JWTPayload | Error) {
  const calls: string[] = [];
  const verify = async (token: string) => {
    calls.push(token);
    const result = claimsFor(token);
    if (result instanceof Error) throw result;
    return result;
  };
  return { calls, verify };
}

describe("cacheVerifications", () => {
  it("verifies a token once and serves repeats from the cache until 60 s have passed", async () => {
    let now = T0;
    const inner = counting(() => ({ sub: "0xabc", exp: T0 / 1000 + 900 }));
    const verify = cacheVerifications(inner.verify, { now: () => now });
    expect((await verify("t1")).sub).toBe("0xabc");
    now += 59_000;
    await verify("t1");
    expect(inner.calls).toEqual(["t1"]);
    now += 2_000;
    await verify("t1");
    expect(inner.calls).toEqual(["t1", "t1"]);
  });

  it("never keeps a token past its own exp", async () => {
    let now = T0;
    const inner = counting(() => ({ sub: "0xabc", exp: T0 / 1000 + 10 }));
    const verify = cacheVerifications(inner.verify, { now: () => now });
    await verify("t");
    now += 10_000;
    await verify("t");
    expect(inner.calls).toHaveLength(2);
  });

  it("peek answers only tokens verified before, and never past their exp or the cache bound", async () => {
    let now = T0;
    const inner = counting((token) => ({ sub: token, exp: T0 / 1000 + 30 }));
    const verify = cacheVerifications(inner.verify, { now: () => now });
    expect(verify.peek("t1")).toBeUndefined();
    await verify("t1");
    expect(verify.peek("t1")?.sub).toBe("t1");
    now += 31_000;
    expect(verify.peek("t1")).toBeUndefined();
    expect(inner.calls).toEqual(["t1"]);
  });

  it("does not cache failures: a rejected token is verified again", async () => {
    let isValid = false;
    const inner = counting(() => (isValid ? { sub: "0xabc", exp: T0 / 1000 + 900 } : new Error("bad signature")));
    const verify = cacheVerifications(inner.verify, { now: () => T0 });
    await expect(verify("t")).rejects.toThrow("bad signature");
    await expect(verify("t")).rejects.toThrow("bad signature");
    isValid = true;
    expect((await verify("t")).sub).toBe("0xabc");
    expect(inner.calls).toHaveLength(3);
  });

  it("evicts the least recently used token beyond maxEntries (recency kept to the second)", async () => {
    const inner = counting((token) => ({ sub: token, exp: T0 / 1000 + 900 }));
    let at = T0;
    const verify = cacheVerifications(inner.verify, { now: () => at, maxEntries: 2 });
    await verify("a");
    await verify("b");
    at += 1_000;
    await verify("a"); // a is now the most recent
    await verify("c"); // evicts b
    await verify("a");
    await verify("b");
    expect(inner.calls).toEqual(["a", "b", "c", "b"]);
  });

  it("a hit within the same second does not reorder: the oldest insert is evicted", async () => {
    const inner = counting((token) => ({ sub: token, exp: T0 / 1000 + 900 }));
    const verify = cacheVerifications(inner.verify, { now: () => T0, maxEntries: 2 });
    await verify("a");
    await verify("b");
    await verify("a"); // same second: a keeps its place
    await verify("c"); // evicts a
    await verify("b");
    await verify("a");
    expect(inner.calls).toEqual(["a", "b", "c", "a"]);
  });

  it("concurrent requests with the same new token share one verification", async () => {
    const inner = counting(() => ({ sub: "0xabc", exp: T0 / 1000 + 900 }));
    const verify = cacheVerifications(inner.verify, { now: () => T0 });
    await Promise.all([verify("t"), verify("t"), verify("t")]);
    expect(inner.calls).toHaveLength(1);
  });
});
