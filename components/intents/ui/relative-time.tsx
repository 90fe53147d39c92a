"use client";

import { formatExact, formatRelative } from "@/lib/format/time";
import { useNow } from "./use-now";

/** Relative time that ticks, with the exact UTC instant on hover (and for screen readers via dateTime). */
export function RelativeTime({ iso, className }: { iso: string; className?: string }) {
  const now = useNow();
  const exact = formatExact(iso);
  return (
    <time dateTime={iso} title={exact} className={className}>
      {now === null ? exact.slice(11, 19) : formatRelative(iso, now)}
    </time>
  );
}
