import { describe, expect, it } from "vitest";
import type { Intent } from "@/lib/defix/intents";
import { at, makeEvent, makeIntent, makeReceivedEvent } from "./fixtures";
import { applyEventsToPages, type IntentPages, rowsOf, upsertTracked } from "./live-cache";

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const row = (n: number, overrides: Partial<Intent> = {}) =>
  makeIntent({ id: id(n), created_at: new Date(at(n)).toISOString(), ...overrides });
const facets = { state: {}, action: {}, vault_id: {}, strategy_id: {} };
const pagesOf = (...pages: Intent[][]): IntentPages => ({
  pages: pages.map((data, i) => ({ data, next_cursor: i < pages.length - 1 ? `c${i}` : null, facets })),
  pageParams: pages.map((_, i) => (i === 0 ? null : `c${i - 1}`)),
});
const ids = (data: IntentPages) => rowsOf(data).map((intent) => intent.id);
/** The pages after the write (what the cache shows). */
const upsertIntents = (...args: Parameters<typeof upsertTracked>) => upsertTracked(...args).data;

describe("upsertIntents", () => {
  it("inserts a new matching intent at the top and keeps cursors", () => {
    const data = pagesOf([row(5), row(4)], [row(3)]);
    const next = upsertIntents(data, [row(6)], {}, at(10));
    expect(ids(next)).toEqual([id(6), id(5), id(4), id(3)]);
    expect(next.pageParams).toEqual(data.pageParams);
  });

  it("replaces a row with a newer copy and ignores an older one", () => {
    const data = pagesOf([row(5, { seq_num: 3, state: "STAGED" })]);
    const newer = upsertIntents(data, [row(5, { seq_num: 4, state: "PLANNED" })], {}, at(10));
    expect(rowsOf(newer)[0]?.state).toBe("PLANNED");
    expect(upsertIntents(newer, [row(5, { seq_num: 2, state: "ACKED" })], {}, at(10))).toBe(newer);
  });

  it("keeps the row's object for a fetched copy equal to it, and takes one that differs at the same seq_num", () => {
    const shown = row(5, { seq_num: 4, state: "COMPLETED", gas_used: null });
    const data = pagesOf([shown]);
    // The same intent as the OMS serves it: equal, its keys in another order.
    const fetched = Object.fromEntries(Object.entries(structuredClone(shown)).reverse()) as Intent;
    const same = upsertIntents(data, [fetched], {}, at(10));
    expect(same).toBe(data);
    expect(rowsOf(same)[0]).toBe(shown);
    const derived = upsertIntents(data, [{ ...fetched, gas_used: 21_000 }], {}, at(10));
    expect(rowsOf(derived)[0]?.gas_used).toBe(21_000);
  });

  it("drops a row that stops matching the filters and skips non-matching new ones", () => {
    const data = pagesOf([row(5, { state: "EXECUTING", seq_num: 5 })]);
    const filters = { state: ["EXECUTING" as const] };
    const next = upsertIntents(data, [row(5, { state: "COMPLETED", seq_num: 6 }), row(6)], filters, at(10));
    expect(ids(next)).toEqual([]);
  });

  it("leaves rows older than the loaded window to their own page", () => {
    const data = pagesOf([row(9), row(8)], [row(7)]);
    const lastPageHasMore: IntentPages = { ...data, pages: data.pages.map((p) => ({ ...p, next_cursor: "more" })) };
    expect(ids(upsertIntents(lastPageHasMore, [row(2)], {}, at(10)))).toEqual([id(9), id(8), id(7)]);
  });
});

describe("applyEventsToPages", () => {
  it("moves known rows forward and reports only new intents for fetching, not older unloaded ones", () => {
    const data = pagesOf([row(5, { state: "PLANNED", seq_num: 4 })]);
    const events = [
      makeEvent(5, "INTENT_EXECUTING", 6, { tx_hash: `0x${"cd".repeat(32)}` }, id(5)),
      makeEvent(1, "INTENT_RECEIVED", 7, {}, id(6)),
      makeEvent(9, "WAITING", 7, {}, id(1)),
    ];
    const { data: next, unknownIds } = applyEventsToPages(data, events, {}, at(10));
    expect(rowsOf(next)[0]).toMatchObject({ state: "EXECUTING", seq_num: 5, tx_hash: `0x${"cd".repeat(32)}` });
    expect(unknownIds).toEqual([id(6)]);
  });

  it("records the error of a failed intent from the terminal event", () => {
    const data = pagesOf([row(5, { state: "PLANNED", seq_num: 4 })]);
    const failed = makeEvent(5, "INTENT_FAILED", 6, { error: { code: "SLIPPAGE", message: "too low" } }, id(5));
    const { data: next } = applyEventsToPages(data, [failed], {}, at(10));
    expect(rowsOf(next)[0]).toMatchObject({ state: "FAILED", error: { code: "SLIPPAGE", message: "too low" } });
  });
});

describe("a new intent from its INTENT_RECEIVED event alone", () => {
  const vaultId = "31337:0x00000000000000000000000000000000000000aa";
  const received = (n: number, atSeconds: number, overrides: Record<string, unknown> = {}) =>
    makeReceivedEvent(id(n), atSeconds, overrides);

  it("shows the row at once as RECEIVED, with nothing it does not know yet shown as known", () => {
    const data = pagesOf([row(5, { state: "COMPLETED", seq_num: 9 })]);
    const { data: next, unknownIds } = applyEventsToPages(data, [received(6, 7)], {}, at(10));
    expect(unknownIds).toEqual([]);
    expect(ids(next)).toEqual([id(6), id(5)]);
    expect(rowsOf(next)[0]).toMatchObject({
      id: id(6),
      vault_id: vaultId,
      action: "DEPOSIT",
      state: "RECEIVED",
      seq_num: 1,
      created_at: new Date(at(7)).toISOString(),
      state_entered_at: new Date(at(7)).toISOString(),
      size: null,
      tx_hash: null,
      gas_used: null,
      error: null,
      completed_at: null,
    });
    expect(next.pages[0]?.facets.state).toEqual({ RECEIVED: 1 });
  });

  it("moves the new row on with the later events of the same batch", () => {
    const acked = makeEvent(2, "INTENT_ACKED", 8, {}, id(6));
    const { data: next } = applyEventsToPages(pagesOf([row(5)]), [received(6, 7), acked], {}, at(10));
    expect(rowsOf(next)[0]).toMatchObject({ id: id(6), state: "ACKED", seq_num: 2 });
  });

  it("keeps a new intent of another vault out of a vault-filtered view", () => {
    const filters = { vault_id: "31337:0x00000000000000000000000000000000000000bb" };
    const { data: next, unknownIds } = applyEventsToPages(pagesOf([]), [received(6, 7)], filters, at(10));
    expect(ids(next)).toEqual([]);
    expect(unknownIds).toEqual([]);
  });

  it("asks for a fetch instead of guessing when the payload lacks a field the row needs", () => {
    const { data: next, unknownIds } = applyEventsToPages(
      pagesOf([row(5)]),
      [received(6, 7, { config_hash: undefined })],
      {},
      at(10),
    );
    expect(ids(next)).toEqual([id(5)]);
    expect(unknownIds).toEqual([id(6)]);
  });
});

describe("facet counts move with the rows", () => {
  const counted = (data: IntentPages) => data.pages[0]?.facets.state ?? {};
  const shownOf = (data: IntentPages) => rowsOf(data).length;
  const totalOf = (data: IntentPages) => Object.values(counted(data)).reduce((sum, n) => sum + n, 0);
  const withCounts = (data: IntentPages, state: Record<string, number>): IntentPages => ({
    ...data,
    pages: data.pages.map((page, i) => (i === 0 ? { ...page, facets: { ...facets, state } } : page)),
  });

  it("counts a live row in the same write that shows it (never '26 of 25 shown')", () => {
    const data = withCounts(pagesOf([row(5, { state: "COMPLETED" })]), { COMPLETED: 1 });
    const next = upsertIntents(data, [row(6, { state: "RECEIVED" })], {}, at(10));
    expect(shownOf(next)).toBe(2);
    expect(totalOf(next)).toBe(2);
    expect(counted(next)).toEqual({ COMPLETED: 1, RECEIVED: 1 });
  });

  it("moves a transition from one state's count to the next, like a streamed event does", () => {
    const data = withCounts(pagesOf([row(5, { state: "PLANNED", seq_num: 4 })]), { PLANNED: 1 });
    const { data: next } = applyEventsToPages(data, [makeEvent(5, "INTENT_EXECUTING", 6, {}, id(5))], {}, at(10));
    expect(counted(next)).toEqual({ EXECUTING: 1 });
  });

  it("counts each dimension under the other filters only, as the OMS does", () => {
    const filters = { state: ["EXECUTING" as const] };
    const data = withCounts(pagesOf([row(5, { state: "EXECUTING", seq_num: 5 })]), { EXECUTING: 1, COMPLETED: 3 });
    const next = upsertIntents(data, [row(5, { state: "COMPLETED", seq_num: 6 })], filters, at(10));
    // The row leaves the EXECUTING view, and the COMPLETED chip (not filtered by itself) gains it.
    expect(shownOf(next)).toBe(0);
    expect(counted(next)).toEqual({ COMPLETED: 4 });
    expect(next.pages[0]?.facets.action).toEqual({});
  });

  it("leaves counts alone for older rows that only arrive with their own page", () => {
    const data = pagesOf([row(9), row(8)], [row(7)]);
    const lastPageHasMore: IntentPages = { ...data, pages: data.pages.map((p) => ({ ...p, next_cursor: "more" })) };
    const counts = withCounts(lastPageHasMore, { RECEIVED: 9 });
    expect(upsertIntents(counts, [row(2)], {}, at(10))).toBe(counts);
  });
});
