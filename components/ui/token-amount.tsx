"use client";

import { useState } from "react";
import { formatTokenAmount, formatTokenAmountExact } from "@/lib/format/amount";

interface TokenAmountProps {
  /** Base units as a decimal string; null when not known yet (e.g. no receipt). */
  raw: string | null;
  decimals: number;
  symbol?: string;
  unknownLabel?: string;
}

/** A formatted amount; hover shows every decimal and the base units, click toggles to the raw value. */
export function TokenAmount({ raw, decimals, symbol, unknownLabel = "pending" }: TokenAmountProps) {
  const [isRaw, setIsRaw] = useState(false);
  if (raw === null) return <span className="text-zinc-600 italic">{unknownLabel}</span>;
  const exact = `${formatTokenAmountExact(raw, decimals)}${symbol ? ` ${symbol}` : ""} (${raw} base units)`;
  const shown = isRaw ? raw : `${formatTokenAmount(raw, decimals)}${symbol ? ` ${symbol}` : ""}`;
  return (
    <button
      type="button"
      onClick={() => setIsRaw((value) => !value)}
      title={exact}
      // The name starts with what is shown (voice control says what it sees), then the exact value.
      aria-label={`${shown}, exactly ${exact.replace(/[()]/g, "")}`}
      className="font-mono tabular-nums hover:underline"
    >
      {isRaw ? raw : formatTokenAmount(raw, decimals)}
      {/* A real space, not a margin: voice control and the accessible name read "1.5 dUSD", not "1.5dUSD". */}
      {symbol && !isRaw ? <span className="text-zinc-600"> {symbol}</span> : null}
    </button>
  );
}
