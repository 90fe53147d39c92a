"use client";

import { formatExact, formatRelative } from "@/lib/format/time";
import { useNow } from "./use-now";

/**
 * `3m ago`, ticking on the page's one shared clock; the exact UTC instant on hover. The server renders
 * the exact time so the hydrated text cannot disagree with it; a row mounted on the client (a table
 * scrolling) shows the relative form at once, without a second render or a timer of its own.
 */
export function RelativeTime({ iso }: { iso: string }) {
  const now = useNow();
  const exact = formatExact(iso);
  return (
    <time dateTime={iso} title={exact} className="whitespace-nowrap tabular-nums">
      {now === null ? exact : formatRelative(iso, now)}
    </time>
  );
}
