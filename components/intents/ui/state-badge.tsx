import type { IntentState } from "@/lib/defix/intents";
import { isTerminalState } from "@/lib/defix/states";

// Fixed fills (not palette classes, which the dark theme turns around) dark enough for white text
// (>= 4.5:1), and each outcome has its own glyph: green vs red is not the only difference.
const TERMINAL_STYLE: Record<string, { className: string; glyph: string }> = {
  COMPLETED: { className: "bg-[#047857] text-white", glyph: "✓" },
  FAILED: { className: "bg-[#b91c1c] text-white", glyph: "✕" },
  ABORTED: { className: "bg-[#c2410c] text-white", glyph: "!" },
  EXPIRED: { className: "bg-[#52525b] text-white", glyph: "⌛" },
  CANCELED: { className: "bg-[#3f3f46] text-white", glyph: "⊘" },
};

/**
 * Terminal states are solid, filled badges; in-flight states are outlined with a dot, so "done" and "still moving"
 * separate at a glance even in peripheral vision. The dot pulses only where one badge stands alone (`isPulsing`: the
 * detail page's header), never in the history's rows: a pulsing dot per in-flight row kept the compositor producing
 * frames without pause, ~28 % of a core while intents flowed (bench -- browser-latency, Chromium trace), and a
 * column of them says less than the "in state" timer beside each.
 */
export function StateBadge({ state, isPulsing = false }: { state: IntentState; isPulsing?: boolean }) {
  const terminal = isTerminalState(state) ? TERMINAL_STYLE[state] : undefined;
  if (terminal) {
    return (
      <span
        data-state={state}
        className={`inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-[11px] font-semibold tracking-wide ${terminal.className}`}
      >
        <span aria-hidden="true">{terminal.glyph}</span>
        {state}
      </span>
    );
  }
  return (
    <span
      data-state={state}
      className="inline-flex items-center gap-1 rounded border border-blue-300 bg-blue-50 px-1.5 py-0.5 text-[11px] font-semibold tracking-wide text-blue-800"
    >
      <span
        aria-hidden="true"
        className={`h-1.5 w-1.5 rounded-full bg-blue-600 ${isPulsing ? "motion-safe:animate-pulse" : ""}`}
      />
      {state}
    </span>
  );
}
