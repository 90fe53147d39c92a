import { describe, expect, it } from "vitest";
import type { Authorization } from "@/lib/defix/authorization";
import { makeIntent } from "../../intents/model/fixtures";
import { approvalQueue, awaitingMeCount, waitingByStrategy } from "./queue";

const ME = "0x00000000000000000000000000000000000000a1";
const OTHER = "0x00000000000000000000000000000000000000b2";
const NOW = Date.parse("2026-01-01T00:30:00.000Z");

const quorum = (signedByMe: boolean, signedByOther = false): Authorization => ({
  display_name: "Large moves",
  policy_version: 2,
  members: [
    { type: "manager", address: ME, signed_at: signedByMe ? "2026-01-01T00:10:00.000Z" : null },
    { type: "manager", address: OTHER, signed_at: signedByOther ? "2026-01-01T00:11:00.000Z" : null },
  ],
  threshold: 2,
  tolerance_bps: 100,
  caught_by: ["size above 5000000"],
  size: "9000000",
  size_block: 12,
});

describe("approval queue", () => {
  it("lists pending intents, those awaiting my signature first, then soonest deadline; counts what is mine", () => {
    const mine = makeIntent({
      id: "11111111-1111-4111-8111-111111111111",
      approval_status: "pending",
      authorization: quorum(false, true),
      deadline: "2026-01-01T01:00:00.000Z",
    });
    const signed = makeIntent({
      id: "22222222-2222-4222-8222-222222222222",
      approval_status: "pending",
      authorization: quorum(true),
      deadline: "2026-01-01T00:40:00.000Z",
    });
    const done = makeIntent({ id: "33333333-3333-4333-8333-333333333333", approval_status: "approved" });
    const rows = approvalQueue([signed, done, mine], ME.toUpperCase().replace("0X", "0x"), NOW);
    expect(rows.map((row) => row.intent.id)).toEqual([mine.id, signed.id]);
    expect(rows[0]).toMatchObject({ signed: 1, missing: 1, isAwaitingMe: true, timeLeftMs: 30 * 60_000 });
    expect(rows[1]).toMatchObject({ hasMySignature: true, isAwaitingMe: false, missing: 1 });
    expect(awaitingMeCount([signed, done, mine], ME, NOW)).toBe(1);
    expect(awaitingMeCount([signed, done, mine], null, NOW)).toBe(0);
  });

  it("counts waiting intents per strategy for the canvas", () => {
    const pending = (id: string, strategy: string) =>
      makeIntent({ id, strategy_id: strategy, approval_status: "pending", authorization: quorum(false) });
    expect(
      waitingByStrategy([
        pending("11111111-1111-4111-8111-111111111111", "rebalancer"),
        pending("22222222-2222-4222-8222-222222222222", "rebalancer"),
        makeIntent({ strategy_id: "inflow" }),
      ]),
    ).toEqual({ rebalancer: 2 });
  });
});
