"use client";

import { type RefObject, useCallback, useLayoutEffect, useRef, useState } from "react";

/** How long after the last scroll event the rows take the pointer again. */
const SCROLL_SETTLE_MS = 150;

export interface RowWindow {
  /** First and last row index to render (overscan included); `last < first` when there are no rows. */
  first: number;
  last: number;
  /** Height of all rows together, for the body that holds them. */
  totalHeight: number;
  /** Scrolls the least needed for a row to be in view below the sticky header. */
  scrollToIndex: (index: number) => void;
}

interface RowWindowOptions {
  count: number;
  rowHeight: number;
  overscan: number;
  scrollRef: RefObject<HTMLElement | null>;
  /** The element holding the rows: its offset in the scroll box is the sticky header above them. */
  bodyRef: RefObject<HTMLElement | null>;
  /** An empty element over the rows' box that takes the pointer while they move. */
  shieldRef: RefObject<HTMLElement | null>;
}

/**
 * The rows to render for a scroll position: those overlapping the part of the box below the sticky header,
 * plus `overscan` on each side, clamped to the rows that exist. The header stays on top of the box, so the
 * rows in view start at `scrollTop` (in body coordinates) and end `boxHeight - headerHeight` further down.
 */
export function rowRange(view: {
  scrollTop: number;
  boxHeight: number;
  headerHeight: number;
  rowHeight: number;
  overscan: number;
  count: number;
}): { first: number; last: number } {
  const top = Math.max(0, view.scrollTop);
  const bottom = top + Math.max(0, view.boxHeight - view.headerHeight);
  const first = Math.max(0, Math.floor(top / view.rowHeight) - view.overscan);
  // `bottom` is exclusive: a row starting exactly there is not in view yet.
  const last = Math.min(view.count - 1, Math.ceil(bottom / view.rowHeight) - 1 + view.overscan);
  return { first: Math.min(first, Math.max(view.count - 1, 0)), last };
}

/**
 * The rows in view of a scroll box whose rows all have one height: the index range from scroll position
 * and box height, read on scroll and resize (never on a change of `count`). Rows are fixed-height by design (the table's grid), so
 * the window is arithmetic; no measuring, no library. State changes only when the range does.
 */
export function useRowWindow({
  count,
  rowHeight,
  overscan,
  scrollRef,
  bodyRef,
  shieldRef,
}: RowWindowOptions): RowWindow {
  const [range, setRange] = useState({ first: 0, last: Math.min(count, overscan) - 1 });
  /**
   * What the range is computed from. The box's size and the header's offset change only on resize, and the scroll
   * position only in a scroll event: they are read there and kept. A change of `count` (a live row arriving, ten a
   * second) recomputes from them without touching the DOM: reading a size right after React's commit forced a style
   * and layout pass per new row on top of the frame's own (bench -- browser-latency --cpu-prof: ~20 % of the history
   * page's main thread).
   */
  const view = useRef({ scrollTop: 0, boxHeight: 0, headerHeight: 0, count });
  const measure = useCallback(() => {
    const { first, last } = rowRange({ ...view.current, rowHeight, overscan });
    setRange((previous) => (previous.first === first && previous.last === last ? previous : { first, last }));
  }, [rowHeight, overscan]);

  useLayoutEffect(() => {
    view.current.count = count;
    measure();
  }, [count, measure]);

  useLayoutEffect(() => {
    const box = scrollRef.current;
    if (!box) return;
    const readBox = (): void => {
      view.current.boxHeight = box.clientHeight;
      view.current.headerHeight = bodyRef.current?.offsetTop ?? 0;
    };
    const readScroll = (): void => {
      view.current.scrollTop = box.scrollTop;
      measure();
    };
    readBox();
    readScroll();
    // No hover while the rows move: every row sliding under a still pointer changed :hover and was restyled
    // (bench -- table's trace). The shield over them takes the pointer instead, until 150 ms after the last
    // scroll event. Toggling `pointer-events` on the rows' parent restyled every row (it is inherited) twice
    // per scroll; on the shield it restyles one empty element.
    let settle: ReturnType<typeof setTimeout> | undefined;
    const onScroll = (): void => {
      readScroll();
      const shield = shieldRef.current;
      if (!shield) return;
      if (settle === undefined) shield.style.pointerEvents = "auto";
      else clearTimeout(settle);
      settle = setTimeout(() => {
        settle = undefined;
        shield.style.pointerEvents = "";
      }, SCROLL_SETTLE_MS);
    };
    box.addEventListener("scroll", onScroll, { passive: true });
    const observer = new ResizeObserver(() => {
      readBox();
      readScroll();
    });
    observer.observe(box);
    return () => {
      box.removeEventListener("scroll", onScroll);
      observer.disconnect();
      if (settle !== undefined) clearTimeout(settle);
      if (shieldRef.current) shieldRef.current.style.pointerEvents = "";
    };
  }, [measure, scrollRef, bodyRef, shieldRef]);

  const scrollToIndex = useCallback(
    (index: number) => {
      const box = scrollRef.current;
      if (!box) return;
      const offset = bodyRef.current?.offsetTop ?? 0;
      const top = index * rowHeight;
      if (top < box.scrollTop) box.scrollTop = top;
      else if (offset + top + rowHeight > box.scrollTop + box.clientHeight)
        box.scrollTop = offset + top + rowHeight - box.clientHeight;
      // Re-read now, inside the key event, so the row is rendered before the caller focuses it.
      view.current.scrollTop = box.scrollTop;
      measure();
    },
    [rowHeight, scrollRef, bodyRef, measure],
  );

  return { first: range.first, last: Math.min(range.last, count - 1), totalHeight: count * rowHeight, scrollToIndex };
}
