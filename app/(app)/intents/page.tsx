import type { Metadata } from "next";
import { loadChainContext } from "@/components/chain/chain-context.server";
import { IntentsPageClient } from "./page-client";

export const metadata: Metadata = { title: "Intents · DeFiX console" };
// The manifest is re-read per request: a redeploy changes token and vault addresses.
export const dynamic = "force-dynamic";

// /intents – every intent of the user's vaults; per vault: /intents?vault_id=…
export default function IntentsPage() {
  return <IntentsPageClient chain={loadChainContext()} />;
}
