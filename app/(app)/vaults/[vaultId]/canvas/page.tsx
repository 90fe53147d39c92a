import type { Metadata } from "next";
import { loadChainContext } from "@/components/chain/chain-context.server";
import { maxKeyStipendWei, rpcUrl } from "@/lib/auth/server-config";
import { vaultAccount } from "@/lib/deployment/vault-account";
import { vaultHooks } from "@/lib/deployment/vault-hooks";
import { resolveVaultPage } from "../resolve-vault";
import { CanvasPageClient } from "./page-client";

export const metadata: Metadata = { title: "Strategy Canvas" };

/** Resolves the vault, the user's role on it and the chain on the server; everything interactive is client-side. */
export default async function CanvasPage({ params }: { params: Promise<{ vaultId: string }> }) {
  const { manifest, vault, role } = await resolveVaultPage(params);

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
          hooks: vaultHooks(vault),
          account: vaultAccount(manifest, vault),
        },
      }}
    />
  );
}
