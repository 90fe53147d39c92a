import "server-only";
import { notFound, redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import { authOptions } from "@/lib/auth/options";
import { vaultRolesFor } from "@/lib/auth/roles";
import { currentManifest } from "@/lib/auth/server-config";
import { VaultId } from "@/lib/defix/common";

/**
 * A vault page's vault, from its path segment: 404 for a malformed id, a vault this deployment does
 * not have, or one the signed-in user holds no role on; sign-in when signed out.
 */
export async function resolveVaultPage(params: Promise<{ vaultId: string }>) {
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
  return { manifest, vault, role };
}
