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
  if (raw === null) return <span className="text-zinc-400 italic">{unknownLabel}</span>;
  const exact = `${formatTokenAmountExact(raw, decimals)}${symbol ? ` ${symbol}` : ""} (${raw} base units)`;
  return (
    <button
      type="button"
      onClick={() => setIsRaw((value) => !value)}
      title={exact}
      aria-label={exact}
      className="font-mono tabular-nums hover:underline"
    >
      {isRaw ? raw : formatTokenAmount(raw, decimals)}
      {symbol && !isRaw ? <span className="ml-1 text-zinc-500">{symbol}</span> : null}
    </button>
  );
}
