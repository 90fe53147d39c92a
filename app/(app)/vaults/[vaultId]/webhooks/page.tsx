import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import { WebhooksPanel } from "@/components/webhooks/webhooks-panel";
import { authOptions } from "@/lib/auth/options";
import { vaultRolesFor } from "@/lib/auth/roles";
import { currentManifest } from "@/lib/auth/server-config";
import { VaultId } from "@/lib/defix/common";

export const metadata: Metadata = { title: "Webhooks" };

/** A vault's webhook settings; managers change them, the OMS checks the role again on every call. */
export default async function WebhooksPage({ params }: { params: Promise<{ vaultId: string }> }) {
  const { vaultId: raw } = await params;
  const parsed = VaultId.safeParse(decodeURIComponent(raw));
  if (!parsed.success) notFound();
  const session = await getServerSession(authOptions());
  if (!session?.address) redirect("/signin");
  const vault = currentManifest()?.vaults.find((v) => v.vault_id === parsed.data);
  if (!vault) notFound();
  const role = (await vaultRolesFor(session.address)).find((v) => v.vault_id === vault.vault_id)?.role;
  if (!role) notFound();
  const canvas = `/vaults/${encodeURIComponent(vault.vault_id)}/canvas`;
  return (
    <div className="flex flex-col gap-4">
      <div>
        <p className="text-sm text-zinc-600">
          <Link href={canvas} className="underline">
            {vault.name}
          </Link>{" "}
          / Webhooks
        </p>
        <h1 className="text-xl font-semibold">Webhooks · {vault.name}</h1>
      </div>
      {role === "VIEW_ONLY" ? (
        <p role="status" className="rounded-lg border border-zinc-200 bg-surface p-4 text-sm">
          Only the vault's managers see and manage its webhooks.
        </p>
      ) : (
        <WebhooksPanel vaultId={vault.vault_id} />
      )}
    </div>
  );
}
