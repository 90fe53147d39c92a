"use client";

import { ChainContextProvider } from "@/components/chain/chain-context";
import { IntentDetail } from "@/components/intents/detail/intent-detail";
import type { ChainContext } from "@/lib/format/tokens";

export function IntentDetailPageClient({ id, chain }: { id: string; chain: ChainContext | null }) {
  return (
    <ChainContextProvider value={chain}>
      <IntentDetail id={id} />
    </ChainContextProvider>
  );
}
