import type { Metadata } from "next";
import { loadChainContext } from "@/components/chain/chain-context.server";
import { IntentDetailPageClient } from "./page-client";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { id } = await params;
  return { title: `Intent ${id.slice(0, 8)} · DeFiX console` };
}

// /intents/[id] – one intent: lifecycle, events (live), fills, attempts, cancel.
export default async function IntentDetailPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <IntentDetailPageClient id={id} chain={loadChainContext()} />;
}
