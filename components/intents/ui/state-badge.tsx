import { type IntentState, isTerminalState } from "@/lib/defix/intents";

const TERMINAL_STYLE: Record<string, string> = {
  COMPLETED: "bg-emerald-600 text-white",
  FAILED: "bg-red-600 text-white",
  ABORTED: "bg-orange-600 text-white",
  EXPIRED: "bg-zinc-500 text-white",
  CANCELED: "bg-zinc-700 text-white",
};

/**
 * Terminal states are solid, filled badges; in-flight states are outlined with a pulsing dot, so
 * "done" and "still moving" separate at a glance even in peripheral vision.
 */
export function StateBadge({ state }: { state: IntentState }) {
  if (isTerminalState(state)) {
    return (
      <span
        data-state={state}
        className={`inline-flex items-center rounded px-1.5 py-0.5 text-[11px] font-semibold tracking-wide ${TERMINAL_STYLE[state] ?? ""}`}
      >
        {state}
      </span>
    );
  }
  return (
    <span
      data-state={state}
      className="inline-flex items-center gap-1 rounded border border-blue-300 bg-blue-50 px-1.5 py-0.5 text-[11px] font-semibold tracking-wide text-blue-800"
    >
      <span aria-hidden="true" className="h-1.5 w-1.5 animate-pulse rounded-full bg-blue-600" />
      {state}
    </span>
  );
}
