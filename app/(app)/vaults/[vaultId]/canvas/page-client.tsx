"use client";

import { type CanvasVault, CanvasView } from "@/components/canvas/canvas-view";
import type { ChainProps } from "@/lib/wallet/chain";
import { WalletProviders } from "@/lib/wallet/providers";

/** The only authenticated page that loads wallet code: the gate signs key transactions here. */
export function CanvasPageClient({ chain, vault }: { chain: ChainProps; vault: CanvasVault }) {
  return (
    <WalletProviders chain={chain}>
      <CanvasView {...vault} />
    </WalletProviders>
  );
}
