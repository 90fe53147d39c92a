"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { type KeyboardEvent, useCallback, useEffect, useRef } from "react";
import type { Intent } from "@/lib/defix/intents";
import { GRID_COLUMNS, IntentRow, ROW_HEIGHT } from "./intent-row";

const HEADERS = ["State", "Intent", "Action", "Vault", "Strategy", "Size", "Created", "In state", "Tx hash", "Error"];
const PREFETCH_ROWS = 30;
const estimateSize = () => ROW_HEIGHT;

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
  // Stable callbacks: the virtualizer recomputes every row's position (O(rows)) whenever one of them
  // changes identity, which with a new arrow per render meant 10k measurements per scroll frame.
  const getItemKey = useCallback((index: number) => intents[index]?.id ?? "loader", [intents]);
  const getScrollElement = useCallback(() => scrollRef.current, []);
  const virtualizer = useVirtualizer({
    count: intents.length + (hasNextPage ? 1 : 0),
    getScrollElement,
    estimateSize,
    overscan: 8,
    getItemKey,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;

  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastIndex >= intents.length - PREFETCH_ROWS) fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, lastIndex, intents.length, fetchNextPage]);

  const focusRow = useCallback(
    (index: number) => {
      const target = Math.max(0, Math.min(index, intents.length - 1));
      virtualizer.scrollToIndex(target, { align: "auto" });
      // The row may only exist after the scroll re-renders the window.
      requestAnimationFrame(() =>
        scrollRef.current?.querySelector<HTMLAnchorElement>(`[data-row-link="${target}"]`)?.focus(),
      );
    },
    [intents.length, virtualizer],
  );

  const onRowKeyDown = useCallback(
    (event: KeyboardEvent<HTMLAnchorElement>, index: number) => {
      const moves: Record<string, number> = {
        ArrowDown: index + 1,
        ArrowUp: index - 1,
        j: index + 1,
        k: index - 1,
        Home: 0,
        End: intents.length - 1,
        PageDown: index + 10,
        PageUp: index - 10,
      };
      const next = event.ctrlKey || event.metaKey || event.altKey ? undefined : moves[event.key];
      if (next === undefined) return;
      event.preventDefault();
      focusRow(next);
    },
    [focusRow, intents.length],
  );

  return (
    <div
      ref={scrollRef}
      data-testid="intent-table"
      className="relative h-[calc(100vh-15rem)] min-h-[18rem] overflow-auto rounded-lg border border-zinc-200 bg-surface"
    >
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
        {/* No hover while the table moves: every row passing under a still pointer changed :hover and was
            restyled, and the virtualizer's scroll handler then forced that restyle (bench -- table trace). */}
        <tbody
          className={`relative block ${virtualizer.isScrolling ? "pointer-events-none" : ""}`}
          style={{ height: virtualizer.getTotalSize() }}
        >
          {items.map((item) => {
            const intent = intents[item.index];
            return (
              <tr
                key={item.key}
                aria-rowindex={item.index + 2}
                data-intent-id={intent?.id}
                className={`${GRID_COLUMNS} absolute inset-x-0 border-b border-zinc-100 hover:bg-zinc-50`}
                style={{ height: item.size, transform: `translateY(${item.start}px)` }}
              >
                {intent ? (
                  <IntentRow
                    intent={intent}
                    index={item.index}
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
