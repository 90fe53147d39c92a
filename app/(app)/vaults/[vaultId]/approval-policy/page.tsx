import type { Metadata } from "next";
import { rpcUrl } from "@/lib/auth/server-config";
import { resolveVaultPage } from "../resolve-vault";
import { ApprovalPolicyPageClient } from "./page-client";

export const metadata: Metadata = { title: "Approval policy · DeFiX console" };

// /vaults/[vaultId]/approval-policy – the vault's approval policy, its versions, and the primary manager's editor.
export default async function ApprovalPolicyPage({ params }: { params: Promise<{ vaultId: string }> }) {
  const { manifest, vault, role } = await resolveVaultPage(params);
  return (
    <ApprovalPolicyPageClient
      chain={{ id: manifest.chain_id, rpcUrl: rpcUrl() }}
      vaultId={vault.vault_id}
      canEdit={role === "PRIMARY_MANAGER"}
    />
  );
}
