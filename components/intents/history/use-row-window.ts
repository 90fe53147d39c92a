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
}

/**
 * The rows to render for a scroll position: those overlapping the box below the header, plus `overscan` on
 * each side, clamped to the rows that exist.
 */
export function rowRange(view: {
  scrollTop: number;
  boxHeight: number;
  headerHeight: number;
  rowHeight: number;
  overscan: number;
  count: number;
}): { first: number; last: number } {
  const top = Math.max(0, view.scrollTop - view.headerHeight);
  const first = Math.max(0, Math.floor(top / view.rowHeight) - view.overscan);
  const last = Math.min(view.count - 1, Math.ceil((top + view.boxHeight) / view.rowHeight) + view.overscan);
  return { first: Math.min(first, Math.max(view.count - 1, 0)), last };
}

/**
 * The rows in view of a scroll box whose rows all have one height: the index range from scroll position
 * and box height, re-read on scroll and resize. Rows are fixed-height by design (the table's grid), so
 * the window is arithmetic; no measuring, no library. State changes only when the range does.
 */
export function useRowWindow({ count, rowHeight, overscan, scrollRef, bodyRef }: RowWindowOptions): RowWindow {
  const [range, setRange] = useState({ first: 0, last: Math.min(count, overscan) - 1 });
  const update = useRef<() => void>(() => {});

  useLayoutEffect(() => {
    const box = scrollRef.current;
    if (!box) return;
    const measure = (): void => {
      const { first, last } = rowRange({
        scrollTop: box.scrollTop,
        boxHeight: box.clientHeight,
        headerHeight: bodyRef.current?.offsetTop ?? 0,
        rowHeight,
        overscan,
        count,
      });
      setRange((previous) => (previous.first === first && previous.last === last ? previous : { first, last }));
    };
    update.current = measure;
    measure();
    // No hover while the rows move: every row sliding under a still pointer changed :hover and was restyled
    // (bench -- table's trace). The rows take pointer events again 150 ms after the last scroll event.
    let settle: ReturnType<typeof setTimeout> | undefined;
    const onScroll = (): void => {
      measure();
      const body = bodyRef.current;
      if (!body) return;
      if (settle === undefined) body.style.pointerEvents = "none";
      else clearTimeout(settle);
      settle = setTimeout(() => {
        settle = undefined;
        body.style.pointerEvents = "";
      }, SCROLL_SETTLE_MS);
    };
    box.addEventListener("scroll", onScroll, { passive: true });
    const observer = new ResizeObserver(measure);
    observer.observe(box);
    return () => {
      box.removeEventListener("scroll", onScroll);
      observer.disconnect();
      if (settle !== undefined) clearTimeout(settle);
      if (bodyRef.current) bodyRef.current.style.pointerEvents = "";
    };
  }, [count, rowHeight, overscan, scrollRef, bodyRef]);

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
      update.current();
    },
    [rowHeight, scrollRef, bodyRef],
  );

  return { first: range.first, last: Math.min(range.last, count - 1), totalHeight: count * rowHeight, scrollToIndex };
}
