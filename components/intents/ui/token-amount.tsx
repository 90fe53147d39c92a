"use client";

import { TokenAmount as BaseTokenAmount } from "@/components/ui/token-amount";
import type { TokenInfo } from "@/lib/format/amount";

/**
 * The shared TokenAmount fed from the deployment's token book. Null means "no receipt yet", said
 * in words; a token the manifest does not know shows its base units rather than a guessed scale.
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
  if (raw !== null && !token) return <span title="token unknown to this deployment: base units">{raw}</span>;
  return (
    <BaseTokenAmount raw={raw} decimals={token?.decimals ?? 0} symbol={token?.symbol} unknownLabel={pendingText} />
  );
}
