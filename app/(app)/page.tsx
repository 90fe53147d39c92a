import type { Metadata } from "next";
import { loadChainContext } from "@/components/chain/chain-context.server";
import { OverviewPageClient } from "./page-client";

export const metadata: Metadata = { title: "Overview · DeFiX console" };
export const dynamic = "force-dynamic";

// / – the user's vaults: session-key readiness, intents in flight, last-day outcomes.
export default function OverviewPage() {
  return <OverviewPageClient chain={loadChainContext()} />;
}
