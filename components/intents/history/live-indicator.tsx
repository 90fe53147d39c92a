import type { LiveStatus } from "./use-live-intents";

const LABEL: Record<LiveStatus, string> = {
  connecting: "Connecting…",
  live: "Live",
  stale: "Stale — reconnecting",
};

/** Quiet on purpose: a dot and a word, only loud (amber) when the view may be out of date. */
export function LiveIndicator({ status, pollSeconds = 5 }: { status: LiveStatus; pollSeconds?: number }) {
  const dot = status === "live" ? "bg-emerald-500" : status === "stale" ? "bg-amber-500" : "bg-zinc-400";
  return (
    <span
      role="status"
      aria-live="polite"
      data-testid="live-indicator"
      data-status={status}
      className="inline-flex items-center gap-1.5 text-xs text-zinc-600"
    >
      <span
        aria-hidden="true"
        className={`h-2 w-2 rounded-full ${dot} ${status === "live" ? "" : "motion-safe:animate-pulse"}`}
      />
      {LABEL[status]}
      {status === "stale" ? <span className="text-zinc-600">(polling every {pollSeconds} s)</span> : null}
    </span>
  );
}
