"use client";

import { useEffect, useState } from "react";

const COPY_ICON = "M8 4h9a2 2 0 0 1 2 2v11M5 8h9a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V9a1 1 0 0 1 1-1z";
const CHECK_ICON = "M5 12l5 5 9-10";

/**
 * Copies `value`. An icon button named for what it copies (`Copy transaction hash 0x…`): no visible
 * word, so voice control users say the name; "Copied" is announced politely and shown as a check.
 */
export function CopyButton({ value, label = "Copy" }: { value: string; label?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const timer = setTimeout(() => setState("idle"), 1500);
    return () => clearTimeout(timer);
  }, [state]);

  const copy = (): void => {
    navigator.clipboard.writeText(value).then(
      () => setState("copied"),
      () => setState("failed"),
    );
  };

  return (
    <button
      type="button"
      onClick={copy}
      aria-label={`${label} ${value}`}
      title={`${label} ${value}`}
      className="inline-flex h-6 w-6 shrink-0 items-center justify-center rounded text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900"
    >
      <svg
        aria-hidden="true"
        viewBox="0 0 24 24"
        className="h-3.5 w-3.5"
        fill="none"
        stroke="currentColor"
        strokeWidth={2}
      >
        <path d={state === "copied" ? CHECK_ICON : COPY_ICON} strokeLinecap="round" strokeLinejoin="round" />
      </svg>
      <span aria-live="polite" className="sr-only">
        {state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : ""}
      </span>
    </button>
  );
}
