import type { Metadata } from "next";
import Link from "next/link";
import { WebhooksPanel } from "@/components/webhooks/webhooks-panel";
import { canvasHref } from "@/lib/format/routes";
import { resolveVaultPage } from "../resolve-vault";

export const metadata: Metadata = { title: "Webhooks" };

/** A vault's webhook settings; managers change them, the OMS checks the role again on every call. */
export default async function WebhooksPage({ params }: { params: Promise<{ vaultId: string }> }) {
  const { vault, role } = await resolveVaultPage(params);
  const canvas = canvasHref(vault.vault_id);
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
