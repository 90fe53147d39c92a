import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import { loadChainContext } from "@/components/chain/chain-context.server";
import { authOptions } from "@/lib/auth/options";
import { vaultRolesFor } from "@/lib/auth/roles";
import { currentManifest, maxKeyStipendWei, rpcUrl } from "@/lib/auth/server-config";
import { VaultId } from "@/lib/defix/common";
import { CanvasPageClient } from "./page-client";

export const metadata: Metadata = { title: "Strategy Canvas" };

/** Resolves the vault, the user's role on it and the chain on the server; everything interactive is client-side. */
export default async function CanvasPage({ params }: { params: Promise<{ vaultId: string }> }) {
  const { vaultId: raw } = await params;
  const parsed = VaultId.safeParse(decodeURIComponent(raw));
  if (!parsed.success) notFound();
  const session = await getServerSession(authOptions());
  if (!session?.address) redirect("/signin");
  const manifest = currentManifest();
  const vault = manifest?.vaults.find((v) => v.vault_id === parsed.data);
  if (!manifest || !vault) notFound();
  const role = (await vaultRolesFor(session.address)).find((v) => v.vault_id === vault.vault_id)?.role;
  if (!role) notFound();

  return (
    <CanvasPageClient
      chain={{ id: manifest.chain_id, rpcUrl: rpcUrl() }}
      tokens={loadChainContext()}
      vault={{
        vaultId: vault.vault_id,
        name: vault.name,
        role,
        target: {
          chainId: manifest.chain_id,
          chainName: manifest.chain_id === 31337 ? "Local anvil" : `Chain ${manifest.chain_id}`,
          registry: manifest.contracts.registry,
          vault: vault.address,
          primaryManager: vault.primary_manager,
          executor: manifest.contracts.executor,
          strategy: vault.strategy,
          maxStipendWei: maxKeyStipendWei(),
        },
      }}
    />
  );
}
