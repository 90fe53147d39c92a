"use client";

import { type CanvasVault, CanvasView } from "@/components/canvas/canvas-view";
import { ChainContextProvider } from "@/components/chain/chain-context";
import type { ChainContext } from "@/lib/format/tokens";
import type { ChainProps } from "@/lib/wallet/chain";
import { WalletProviders } from "@/lib/wallet/providers";

/** The only authenticated page that loads wallet code: the gate signs key transactions here. */
export function CanvasPageClient({
  chain,
  vault,
  tokens,
}: {
  chain: ChainProps;
  vault: CanvasVault;
  /** The token book for amounts (the strategy preview). */
  tokens: ChainContext | null;
}) {
  return (
    <WalletProviders chain={chain}>
      <ChainContextProvider value={tokens}>
        <CanvasView {...vault} />
      </ChainContextProvider>
    </WalletProviders>
  );
}
