"use client";

import { useQuery } from "@tanstack/react-query";
import { LoadError } from "@/components/ui/load-error";
import { SkeletonRows } from "@/components/ui/skeleton-rows";
import { meOptions } from "@/lib/query/vaults";
import { KeyExpiryStrip } from "./key-expiry-strip";
import { VaultCard } from "./vault-card";

/** `/`: the user's vaults, each with key readiness and last-day intent health. */
export function Overview() {
  const me = useQuery(meOptions());
  return (
    <div className="space-y-4">
      <div className="flex items-baseline justify-between">
        <h1 className="text-xl font-semibold">Overview</h1>
        <p className="text-xs text-zinc-600">Numbers refresh every 15 s; click one to see those intents.</p>
      </div>
      {me.isPending ? (
        <SkeletonRows rows={3} label="Loading vaults" />
      ) : me.isError ? (
        <LoadError what="your vaults" error={me.error} onRetry={() => void me.refetch()} />
      ) : me.data.vaults.length === 0 ? (
        <div className="rounded-lg border border-dashed border-zinc-300 p-8 text-center">
          <h2 className="font-semibold">No vaults for this wallet</h2>
          <p className="mt-1 text-sm text-zinc-600">
            You see the vaults on which your address is a primary or secondary manager, or has view-only access. Ask a
            vault's primary manager to add you, or sign in with another account.
          </p>
        </div>
      ) : (
        <>
          <KeyExpiryStrip vaults={me.data.vaults} />
          <div className="grid gap-3 xl:grid-cols-2">
            {me.data.vaults.map((vault) => (
              <VaultCard key={vault.vault_id} vaultId={vault.vault_id} role={vault.role} />
            ))}
          </div>
        </>
      )}
    </div>
  );
}
