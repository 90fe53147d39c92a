"use client";

import type { FilterPatch } from "./use-intent-filters";

const inputClass =
  "rounded-md border border-zinc-300 bg-surface px-2 py-1 text-sm focus-visible:outline-2 focus-visible:outline-blue-600";

/** `datetime-local` works in the viewer's local time without seconds; the URL and the API keep ISO instants. */
function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (!Number.isFinite(date.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

/** One end of the custom window: local date and time in, an ISO instant (or null when cleared) out. */
function InstantInput(props: {
  text: string;
  label: string;
  value: string | null | undefined;
  min?: string | null;
  max?: string | null;
  onChange: (iso: string | null) => void;
}) {
  return (
    <label className="flex items-center gap-1">
      {props.text}
      <input
        type="datetime-local"
        aria-label={props.label}
        value={toLocalInput(props.value)}
        min={toLocalInput(props.min) || undefined}
        max={toLocalInput(props.max) || undefined}
        onChange={(e) => props.onChange(fromLocalInput(e.target.value))}
        className={inputClass}
      />
    </label>
  );
}

/** The history's custom time window: created from / before, in the viewer's local time. */
export function CustomRange(props: {
  from: string | null | undefined;
  to: string | null | undefined;
  onChange: (patch: FilterPatch) => void;
}) {
  return (
    <span className="flex items-center gap-1 text-sm text-zinc-600">
      <InstantInput
        text="From"
        label="Created from"
        value={props.from}
        max={props.to}
        onChange={(from) => props.onChange({ from })}
      />
      <InstantInput
        text="to"
        label="Created before"
        value={props.to}
        min={props.from}
        onChange={(to) => props.onChange({ to })}
      />
    </span>
  );
}
