"use client";

import { useState } from "react";
import { formatTokenAmount, formatTokenAmountExact, type TokenInfo } from "@/lib/format/amount";

interface TokenAmountProps {
  /** Base units as a decimal string; null when not known yet (e.g. no receipt), said in words. */
  raw: string | null;
  /** From the deployment's token book; a token it does not know shows base units, not a guessed scale. */
  token: TokenInfo | null;
  pendingText?: string;
}

/**
 * The one way an amount is shown: in token units; hover shows every decimal and the base units, click
 * toggles to the raw value.
 */
export function TokenAmount({ raw, token, pendingText = "awaiting receipt" }: TokenAmountProps) {
  const [isRaw, setIsRaw] = useState(false);
  if (raw === null) return <span className="text-zinc-600 italic">{pendingText}</span>;
  if (!token) return <span title="token unknown to this deployment: base units">{raw}</span>;
  const { decimals, symbol } = token;
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
