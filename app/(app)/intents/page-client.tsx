"use client";

import { ChainContextProvider } from "@/components/chain/chain-context";
import { IntentHistory } from "@/components/intents/history/intent-history";
import type { ChainContext } from "@/lib/format/tokens";

export function IntentsPageClient({ chain }: { chain: ChainContext | null }) {
  return (
    <ChainContextProvider value={chain}>
      <IntentHistory />
    </ChainContextProvider>
  );
}
