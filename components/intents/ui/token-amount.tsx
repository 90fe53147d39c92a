"use client";

import { useState } from "react";
import { formatTokenAmount, formatTokenAmountExact, type TokenInfo } from "@/lib/format/amount";

/**
 * A token amount in units (decimals applied); the raw base units are on hover, and a click swaps
 * the display to them (hover does not exist on touch screens). Null means "no receipt yet".
 */
export function TokenAmount({
  raw,
  token,
  pendingText = "awaiting receipt",
}: {
  raw: string | null;
  token: TokenInfo | null;
  pendingText?: string;
}) {
  const [isRaw, setIsRaw] = useState(false);
  if (raw === null) return <span className="text-xs italic text-zinc-500">{pendingText}</span>;
  if (!token) return <span title="token unknown to this deployment: base units">{raw}</span>;
  const exact = `${formatTokenAmountExact(raw, token.decimals)} ${token.symbol} (${raw} base units)`;
  return (
    <button
      type="button"
      title={exact}
      onClick={(event) => {
        event.stopPropagation();
        setIsRaw((value) => !value);
      }}
      className="rounded text-left tabular-nums hover:underline focus-visible:outline-2 focus-visible:outline-blue-600"
    >
      {isRaw ? raw : formatTokenAmount(raw, token.decimals)} <span className="text-zinc-500">{token.symbol}</span>
    </button>
  );
}
