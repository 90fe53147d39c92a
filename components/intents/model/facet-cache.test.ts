import { describe, expect, it } from "vitest";
import type { Intent, IntentList } from "@/lib/defix/intents";
import { rebaseFacets } from "./facet-cache";
import { at, makeIntent } from "./fixtures";

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const row = (n: number, overrides: Partial<Intent> = {}) =>
  makeIntent({ id: id(n), created_at: new Date(at(n)).toISOString(), ...overrides });
const answerOf = (data: Intent[], state: Record<string, number>, next_cursor: string | null = null): IntentList => ({
  data,
  next_cursor,
  facets: { state, action: {}, vault_id: {}, strategy_id: {} },
});
const now = at(100);

describe("rebaseFacets: a count read before rows the cache already shows", () => {
  it("counts an intent that arrived after the request and is absent where the page would list it", () => {
    // The stream showed intent 2 while the page (read before it committed) was on its way.
    const answer = answerOf([row(1)], { RECEIVED: 1 });
    const facets = rebaseFacets(answer, [{ before: null, after: row(2) }], {}, now);
    expect(facets.state).toEqual({ RECEIVED: 2 });
  });

  it("does not count twice an intent the answer already lists", () => {
    const answer = answerOf([row(2), row(1)], { RECEIVED: 2 });
    expect(rebaseFacets(answer, [{ before: null, after: row(2) }], {}, now).state).toEqual({ RECEIVED: 2 });
  });

  it("moves a transition the answer's copy of the row does not have yet, from the state the answer counted", () => {
    const answer = answerOf([row(1, { state: "PLANNED", seq_num: 5 })], { PLANNED: 1 });
    const changes = [
      { before: row(1, { state: "PLANNED", seq_num: 5 }), after: row(1, { state: "EXECUTING", seq_num: 6 }) },
      { before: row(1, { state: "EXECUTING", seq_num: 6 }), after: row(1, { state: "COMPLETED", seq_num: 7 }) },
    ];
    expect(rebaseFacets(answer, changes, {}, now).state).toEqual({ COMPLETED: 1 });
    // The answer read after the first change: it counts from there, once.
    const later = answerOf([row(1, { state: "EXECUTING", seq_num: 6 })], { EXECUTING: 1 });
    expect(rebaseFacets(later, changes, {}, now).state).toEqual({ COMPLETED: 1 });
  });

  it("takes the answer as it is for a row it cannot see (older than its full page)", () => {
    const answer = answerOf([row(5), row(4)], { RECEIVED: 9 }, "more");
    const older = {
      before: row(2, { state: "EXECUTING", seq_num: 5 }),
      after: row(2, { state: "COMPLETED", seq_num: 6 }),
    };
    expect(rebaseFacets(answer, [older, { before: null, after: row(1) }], {}, now).state).toEqual({ RECEIVED: 9 });
  });

  it("leaves out of the count a new row the view's filters do not show", () => {
    const answer = answerOf([], {});
    const other = row(2, { strategy_id: "other" });
    expect(rebaseFacets(answer, [{ before: null, after: other }], { strategy_id: "mine" }, now).state).toEqual({});
  });
});
