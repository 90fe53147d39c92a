import { describe, expect, it } from "vitest";
import { rowRange } from "./use-row-window";

const view = { scrollTop: 0, boxHeight: 520, headerHeight: 36, rowHeight: 52, overscan: 8, count: 10_000 };

describe("rowRange", () => {
  it("renders the rows in view plus the overscan, never more than a screenful", () => {
    expect(rowRange(view)).toEqual({ first: 0, last: 18 });
    const scrolled = rowRange({ ...view, scrollTop: 36 + 52 * 5_000 });
    expect(scrolled).toEqual({ first: 4_992, last: 5_018 });
    expect(scrolled.last - scrolled.first + 1).toBeLessThanOrEqual(30);
  });

  it("clamps to the rows that exist", () => {
    expect(rowRange({ ...view, count: 3 })).toEqual({ first: 0, last: 2 });
    expect(rowRange({ ...view, count: 0 })).toEqual({ first: 0, last: -1 });
    expect(rowRange({ ...view, count: 100, scrollTop: 36 + 52 * 95 })).toEqual({ first: 87, last: 99 });
  });
});
