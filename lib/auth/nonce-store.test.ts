import { describe, expect, it } from "vitest";
import { createNonceStore, type NonceIssue } from "./nonce-store";

function nonceOf(issue: NonceIssue): string {
  if (!issue.ok) throw new Error(`refused: ${issue.reason}`);
  return issue.nonce;
}

describe("nonce store under a flood", () => {
  it("a flood from one client does not invalidate another client's nonce", async () => {
    const store = createNonceStore({ maxOutstanding: 1_000, maxPerOwner: 50 });
    const honest = nonceOf(await store.issue("10.0.0.1"));
    const refusals = new Set<string>();
    for (let i = 0; i < 5_000; i++) {
      const issue = await store.issue("10.6.6.6");
      if (!issue.ok) refusals.add(issue.reason);
    }
    expect(refusals).toEqual(new Set(["OWNER_LIMIT"]));
    expect(await store.consume(honest)).toBe(true);
  });

  it("a full store refuses new nonces (with the wait) instead of evicting valid ones", async () => {
    let clock = 0;
    const store = createNonceStore({ maxOutstanding: 100, maxPerOwner: 100, ttlMs: 60_000, now: () => clock });
    const first = nonceOf(await store.issue("a"));
    for (let i = 0; i < 99; i++) nonceOf(await store.issue(`flood-${i}`));
    clock = 10_000;
    const refused = await store.issue("b");
    expect(refused).toEqual({ ok: false, reason: "STORE_FULL", limit: 100, retryAfterMs: 50_000 });
    expect(await store.consume(first)).toBe(true);
    // Room again once one is used (or expires).
    expect((await store.issue("b")).ok).toBe(true);
  });

  it("frees an owner's slots as their nonces are used or expire", async () => {
    let clock = 0;
    const store = createNonceStore({ maxPerOwner: 2, ttlMs: 1_000, now: () => clock });
    const one = nonceOf(await store.issue("ip"));
    nonceOf(await store.issue("ip"));
    expect(await store.issue("ip")).toMatchObject({ ok: false, reason: "OWNER_LIMIT" });
    expect(await store.consume(one)).toBe(true);
    expect((await store.issue("ip")).ok).toBe(true);
    clock = 1_001;
    expect((await store.issue("ip")).ok).toBe(true);
    expect(await store.size()).toBe(1);
  });
});
