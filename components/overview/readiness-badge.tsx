"use client";

import { useNow } from "@/components/ui/use-now";
import type { Readiness } from "@/lib/defix/session-keys";
import { formatDuration } from "@/lib/format/duration";

const SOON_MS = 24 * 3_600_000;

/** Session-key state in two words; amber when it expires within a day or a rotation is pending. */
export function ReadinessBadge({ readiness, isLoading }: { readiness: Readiness | undefined; isLoading: boolean }) {
  const now = useNow();
  if (isLoading || !readiness) {
    return (
      <span className="rounded bg-zinc-100 px-1.5 py-0.5 text-[11px] text-zinc-600">
        {isLoading ? "checking key…" : "key unknown"}
      </span>
    );
  }
  if (!readiness.is_ready) {
    const reason = readiness.reason ? readiness.reason.toLowerCase().replaceAll("_", " ") : "not ready";
    return (
      <span data-ready="false" className="rounded bg-red-100 px-1.5 py-0.5 text-[11px] font-semibold text-red-800">
        Session key: {reason}
      </span>
    );
  }
  const left = readiness.expires_at && now !== null ? Date.parse(readiness.expires_at) - now : null;
  const isSoon = left !== null && left < SOON_MS;
  const tone = isSoon || readiness.pending_rotation ? "bg-amber-100 text-amber-900" : "bg-emerald-100 text-emerald-800";
  return (
    <span data-ready="true" className={`rounded px-1.5 py-0.5 text-[11px] font-semibold ${tone}`}>
      Session key ready
      {left !== null ? ` · ${formatDuration(left)} left` : ""}
      {readiness.pending_rotation ? " · rotation pending" : ""}
    </span>
  );
}
