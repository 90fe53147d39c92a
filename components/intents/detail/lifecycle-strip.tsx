import { formatDuration } from "@/lib/format/duration";
import { formatClock, formatExact } from "@/lib/format/time";
import type { LifecycleStep, StepKind } from "../model/lifecycle";

const STYLE: Record<StepKind, string> = {
  done: "border-emerald-300 bg-emerald-50 text-emerald-900",
  completed: "border-[#047857] bg-[#047857] text-white",
  current: "border-blue-500 bg-blue-50 text-blue-900 ring-2 ring-blue-200",
  exit: "border-[#b91c1c] bg-[#b91c1c] text-white",
  pending: "border-dashed border-zinc-300 bg-surface text-zinc-600",
  unreached: "border-dashed border-zinc-200 bg-zinc-50 text-zinc-600 line-through",
  passed: "border-emerald-200 bg-surface text-emerald-800",
};

const SR_KIND: Record<StepKind, string> = {
  done: "done",
  completed: "completed",
  current: "current step",
  exit: "ended here",
  pending: "not reached yet",
  unreached: "never reached",
  passed: "passed",
};

/** RECEIVED → … → terminal: when each step began and how long it lasted; an exit sits where it happened. */
export function LifecycleStrip({ steps }: { steps: readonly LifecycleStep[] }) {
  return (
    <ol aria-label="Lifecycle" className="flex flex-wrap items-stretch gap-1.5" data-testid="lifecycle-strip">
      {steps.map((step, i) => (
        <li key={step.state} className="flex items-center gap-1.5" data-kind={step.kind} data-state={step.state}>
          {i > 0 ? (
            <span aria-hidden="true" className="text-zinc-600">
              →
            </span>
          ) : null}
          <div className={`min-w-[6.5rem] rounded-md border px-2 py-1 ${STYLE[step.kind]}`}>
            <div className="text-[11px] font-semibold tracking-wide">
              {step.state}
              <span className="sr-only"> ({SR_KIND[step.kind]})</span>
            </div>
            <div className="text-[11px] tabular-nums">
              {step.enteredAt ? (
                <time dateTime={step.enteredAt} title={formatExact(step.enteredAt)}>
                  {formatClock(step.enteredAt)}
                </time>
              ) : (
                "—"
              )}
              {step.durationMs !== null ? <span> · {formatDuration(step.durationMs)}</span> : null}
            </div>
          </div>
        </li>
      ))}
    </ol>
  );
}
