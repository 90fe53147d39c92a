"use client";

import { useRouter } from "next/navigation";
import { type KeyboardEvent, type MouseEvent, useCallback, useEffect, useLayoutEffect, useRef } from "react";
import type { Intent } from "@/lib/defix/intents";
import { GRID_COLUMNS, IntentRow, ROW_HEIGHT } from "./intent-row";
import { useRowWindow } from "./use-row-window";

const HEADERS = ["State", "Intent", "Action", "Vault", "Strategy", "Size", "Created", "In state", "Tx hash", "Error"];
const PREFETCH_ROWS = 30;
const OVERSCAN = 8;
const BOX_HEIGHT = "h-[calc(100vh-15rem)] min-h-[18rem]";
/** How many frames to wait for a row scrolled to before giving up on focusing it. */
const FOCUS_FRAMES = 10;

/**
 * The history table, virtualized: the DOM holds only the rows in view (plus a small overscan), so
 * 10k+ loaded rows scroll like 50. Arrow keys (or j/k) move between rows, Enter opens one; the next page loads before the
 * end is reached.
 */
export function IntentTable({
  intents,
  strategyNames,
  hasNextPage,
  isFetchingNextPage,
  fetchNextPage,
}: {
  intents: readonly Intent[];
  /** Runner display names by strategy id; rows fall back to the id. */
  strategyNames: ReadonlyMap<string, string>;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => void;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const shieldRef = useRef<HTMLDivElement>(null);
  const count = intents.length + (hasNextPage ? 1 : 0);
  const {
    first,
    last: lastIndex,
    totalHeight,
    scrollToIndex,
  } = useRowWindow({
    count,
    rowHeight: ROW_HEIGHT,
    overscan: OVERSCAN,
    scrollRef,
    bodyRef,
    shieldRef,
  });
  const indexes = Array.from({ length: Math.max(0, lastIndex - first + 1) }, (_, offset) => first + offset);

  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastIndex >= intents.length - PREFETCH_ROWS) fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, lastIndex, intents.length, fetchNextPage]);

  // The handlers read the rows through a ref, so they stay the same function while rows arrive: a new one would
  // render every memoized row in the window again.
  const rows = useRef(intents);
  useLayoutEffect(() => {
    rows.current = intents;
  }, [intents]);

  const focusRow = useCallback(
    (index: number) => {
      const target = Math.max(0, Math.min(index, rows.current.length - 1));
      const id = rows.current[target]?.id;
      if (id === undefined) return;
      scrollToIndex(target);
      // The row may only exist after the scroll re-renders the window.
      let frames = 0;
      const focus = (): void => {
        const link = scrollRef.current?.querySelector<HTMLAnchorElement>(`[data-row-link="${id}"]`);
        if (link) link.focus();
        else if (++frames < FOCUS_FRAMES) requestAnimationFrame(focus);
      };
      requestAnimationFrame(focus);
    },
    [scrollToIndex],
  );

  const onRowKeyDown = useCallback(
    (event: KeyboardEvent<HTMLAnchorElement>, intentId: string) => {
      const index = rows.current.findIndex((intent) => intent.id === intentId);
      if (index < 0) return;
      const moves: Record<string, number> = {
        ArrowDown: index + 1,
        ArrowUp: index - 1,
        j: index + 1,
        k: index - 1,
        Home: 0,
        End: rows.current.length - 1,
        PageDown: index + 10,
        PageUp: index - 10,
      };
      const next = event.ctrlKey || event.metaKey || event.altKey ? undefined : moves[event.key];
      if (next === undefined) return;
      event.preventDefault();
      focusRow(next);
    },
    [focusRow],
  );

  // The rows' links are plain anchors; a plain click on one (or Enter on it) is a client-side navigation here, so a row
  // mounting while the table scrolls does not set up a router link of its own (bench -- table: script per frame).
  const router = useRouter();
  const onLinkClick = useCallback(
    (event: MouseEvent<HTMLElement>) => {
      if (event.defaultPrevented || event.button !== 0) return;
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const link = event.target instanceof Element ? event.target.closest("a[data-row-link]") : null;
      const href = link?.getAttribute("href");
      if (!href) return;
      event.preventDefault();
      router.push(href);
    },
    [router],
  );

  return (
    // Containment: the box's size never depends on its rows, and a row's never on its cells, so the rows
    // a scroll step adds or drops lay out on their own instead of the page around them (bench -- table).
    // biome-ignore lint/a11y/noStaticElementInteractions: the clicks handled are the links' own (delegated), which stay keyboard-usable.
    // biome-ignore lint/a11y/useKeyWithClickEvents: Enter on a link fires this same click.
    <div
      ref={scrollRef}
      onClick={onLinkClick}
      data-testid="intent-table"
      className={`relative ${BOX_HEIGHT} overflow-auto rounded-lg border border-zinc-200 bg-surface [contain:strict]`}
    >
      {/* Stays at the top of the box, over the rows; takes the pointer only while they scroll (useRowWindow). */}
      <div aria-hidden="true" className="sticky top-0 z-20 h-0">
        <div ref={shieldRef} className={`pointer-events-none absolute inset-x-0 top-0 ${BOX_HEIGHT}`} />
      </div>
      {/* Real table elements laid out as grid rows: semantics for assistive tech, absolute rows for virtualization. */}
      <table
        aria-label="Intents, newest first"
        aria-rowcount={hasNextPage ? -1 : intents.length + 1}
        className="block w-full"
      >
        <thead className="sticky top-0 z-10 block border-b border-zinc-200 bg-zinc-50">
          <tr
            aria-rowindex={1}
            className={`${GRID_COLUMNS} h-9 text-[11px] font-semibold uppercase tracking-wide text-zinc-600`}
          >
            {HEADERS.map((header) => (
              <th key={header} scope="col" className="text-left">
                {header}
              </th>
            ))}
          </tr>
        </thead>
        {/* The rows sit in normal flow under a padding that stands for the rows above the window: a row arriving on top
            is one insertion that lays the others out again, not a new position to restyle on every row. */}
        <tbody ref={bodyRef} className="relative block" style={{ height: totalHeight, paddingTop: first * ROW_HEIGHT }}>
          {indexes.map((index) => {
            const intent = intents[index];
            return (
              <tr
                key={intent?.id ?? "loader"}
                aria-rowindex={index + 2}
                data-intent-id={intent?.id}
                className={`${GRID_COLUMNS} border-b border-zinc-100 [contain:strict] hover:bg-zinc-50`}
                style={{ height: ROW_HEIGHT }}
              >
                {intent ? (
                  <IntentRow
                    intent={intent}
                    strategyName={intent.strategy_id === null ? undefined : strategyNames.get(intent.strategy_id)}
                    onKeyDown={onRowKeyDown}
                  />
                ) : (
                  <td className="col-span-full text-sm text-zinc-600">Loading more intents…</td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
