import { describe, expect, it } from "vitest";
import { rowRange } from "./use-row-window";

const view = { scrollTop: 0, boxHeight: 520, headerHeight: 36, rowHeight: 52, overscan: 8, count: 10_000 };

describe("rowRange", () => {
  it("renders the rows in view below the header plus the overscan", () => {
    // 484 px under the header: rows 0–9 are (partly) in view.
    expect(rowRange(view)).toEqual({ first: 0, last: 17 });
    expect(rowRange({ ...view, scrollTop: 36 + 52 * 5_000 })).toEqual({ first: 4_992, last: 5_017 });
  });

  it("covers every row in view and holds at most 30 on a laptop screen (1440×900: a 660 px box)", () => {
    const laptop = { ...view, boxHeight: 660 };
    for (let scrollTop = 52 * 400; scrollTop < 52 * 402; scrollTop += 1) {
      const { first, last } = rowRange({ ...laptop, scrollTop });
      const firstInView = Math.floor(scrollTop / 52);
      const lastInView = Math.ceil((scrollTop + 660 - 36) / 52) - 1;
      expect(first).toBeLessThanOrEqual(firstInView - 8);
      expect(last).toBeGreaterThanOrEqual(lastInView + 8);
      expect(last - first + 1).toBeLessThanOrEqual(30);
    }
  });

  it("clamps to the rows that exist", () => {
    expect(rowRange({ ...view, count: 3 })).toEqual({ first: 0, last: 2 });
    expect(rowRange({ ...view, count: 0 })).toEqual({ first: 0, last: -1 });
    expect(rowRange({ ...view, count: 100, scrollTop: 36 + 52 * 95 })).toEqual({ first: 87, last: 99 });
  });
});
