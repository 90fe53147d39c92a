"use client";

import { ChainContextProvider } from "@/components/chain/chain-context";
import { Overview } from "@/components/overview/overview";
import type { ChainContext } from "@/lib/format/tokens";

export function OverviewPageClient({ chain }: { chain: ChainContext | null }) {
  return (
    <ChainContextProvider value={chain}>
      <Overview />
    </ChainContextProvider>
  );
}
