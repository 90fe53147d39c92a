import "server-only";
import { serverChainClient } from "@/lib/chain/server-client";
import type { Role } from "@/lib/defix/common";
import { createChainRoleDirectory, type RoleDirectory } from "@/lib/roles/directory";
import { parseViewOnly } from "@/lib/roles/view-only";
import { currentManifest, rpcUrl } from "./server-config";

export interface VaultRole {
  vault_id: string;
  name: string;
  role: Role;
}

/**
 * The signed-in user's vaults and roles, read from the chain's registry plus VIEW_ONLY, with the very
 * same role directory the OMS uses (lib/roles/directory.ts), so navigation and OMS authorization agree.
 * Read directly rather than through the OMS so the app shell still draws when the OMS is down.
 */
export async function vaultRolesFor(address: string): Promise<VaultRole[]> {
  const directory = roleDirectory();
  if (!directory) return [];
  const roles = await directory.rolesFor(address);
  return directory.vaults().flatMap((vault) => {
    const role = roles.get(vault.vault_id);
    return role ? [{ vault_id: vault.vault_id, name: vault.name, role }] : [];
  });
}

let cached: { key: string; directory: RoleDirectory } | null = null;

function roleDirectory(): RoleDirectory | null {
  const manifest = currentManifest();
  if (!manifest) return null;
  const url = rpcUrl();
  const key = `${manifest.deployed_at}|${url}|${process.env.VIEW_ONLY ?? ""}`;
  if (cached?.key !== key) {
    const client = serverChainClient(url);
    // The services refuse to boot on a malformed entry; the console still draws, without that grant.
    const { grants, rejected } = parseViewOnly(process.env.VIEW_ONLY);
    for (const entry of rejected) console.warn(`[auth] ignoring malformed VIEW_ONLY entry "${entry}"`);
    cached = {
      key,
      directory: createChainRoleDirectory({
        client,
        manifest,
        viewOnly: grants,
        cacheMs: 5_000,
      }),
    };
  }
  return cached.directory;
}
