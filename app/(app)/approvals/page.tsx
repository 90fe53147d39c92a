import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { loadChainContext } from "@/components/chain/chain-context.server";
import { currentManifest, rpcUrl } from "@/lib/auth/server-config";
import { ApprovalsPageClient } from "./page-client";

export const metadata: Metadata = { title: "Approvals · DeFiX console" };
export const dynamic = "force-dynamic";

// /approvals – the quorum queue: intents waiting for the signed-in member first, then all pending ones.
export default function ApprovalsPage() {
  const manifest = currentManifest();
  if (!manifest) notFound();
  return <ApprovalsPageClient chain={{ id: manifest.chain_id, rpcUrl: rpcUrl() }} tokens={loadChainContext()} />;
}
