"use client";

import { useState } from "react";

/** Copies `value`; says "Copied" for a moment so the click has visible effect. */
export function CopyButton({
  value,
  label = "Copy",
  className = "",
}: {
  value: string;
  label?: string;
  className?: string;
}) {
  const [isCopied, setIsCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setIsCopied(true);
      setTimeout(() => setIsCopied(false), 1200);
    } catch (error) {
      // Clipboard is denied outside secure contexts; the value stays selectable on screen.
      console.warn("copy failed", error);
    }
  };
  return (
    <button
      type="button"
      onClick={(event) => {
        event.stopPropagation();
        void copy();
      }}
      aria-label={`${label}: ${value}`}
      title={isCopied ? "Copied" : label}
      className={`rounded px-1 text-xs text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-blue-600 ${className}`}
    >
      {isCopied ? "✓" : "⧉"}
    </button>
  );
}
