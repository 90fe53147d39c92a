"use client";

import { useEffect, useState } from "react";
import { formatExact, formatRelative } from "@/lib/format/time";

/**
 * `3m ago`, ticking; the exact UTC instant on hover. The server renders the exact time so the
 * hydrated text cannot disagree with it; the relative form appears once mounted.
 */
export function RelativeTime({ iso, tickMs = 15_000 }: { iso: string; tickMs?: number }) {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), tickMs);
    return () => clearInterval(timer);
  }, [tickMs]);
  const exact = formatExact(iso);
  return (
    <time dateTime={iso} title={exact} className="whitespace-nowrap tabular-nums">
      {now === null ? exact : formatRelative(iso, now)}
    </time>
  );
}
