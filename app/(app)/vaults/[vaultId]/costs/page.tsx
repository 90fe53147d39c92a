import type { Metadata } from "next";
import { CostsView } from "@/components/costs/costs-view";
import { resolveVaultPage } from "../resolve-vault";

export const metadata: Metadata = { title: "Costs" };

/** What the vault's automation spent on gas, from receipts (issue 19). */
export default async function CostsPage({ params }: { params: Promise<{ vaultId: string }> }) {
  const { vault } = await resolveVaultPage(params);
  return <CostsView vaultId={vault.vault_id} name={vault.name} />;
}
