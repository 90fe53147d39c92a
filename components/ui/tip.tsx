import type { ReactNode } from "react";

/**
 * Tooltip by `title`: the native tooltip is accessible, needs no positioning code and works in
 * tables with thousands of rows. The dotted underline tells sighted users there is more.
 */
export function Tip({ text, children }: { text: string; children: ReactNode }) {
  return (
    <span title={text} className="cursor-help underline decoration-zinc-300 decoration-dotted underline-offset-2">
      {children}
    </span>
  );
}
