"use client";

import { ApprovalsView } from "@/components/approvals/approvals-view";
import { ChainContextProvider } from "@/components/chain/chain-context";
import type { ChainContext } from "@/lib/format/tokens";
import type { ChainProps } from "@/lib/wallet/chain";
import { WalletProviders } from "@/lib/wallet/providers";

/** Loads wallet code (members sign their decisions here), like the canvas; other pages do not. */
export function ApprovalsPageClient({ chain, tokens }: { chain: ChainProps; tokens: ChainContext | null }) {
  return (
    <WalletProviders chain={chain}>
      <ChainContextProvider value={tokens}>
        <ApprovalsView />
      </ChainContextProvider>
    </WalletProviders>
  );
}
