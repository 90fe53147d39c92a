import "server-only";
import { serverChainClient } from "@/lib/chain/server-client";
import { Address, type Role, VaultId } from "@/lib/defix/common";
import { createChainRoleDirectory, type RoleDirectory } from "@/oms/api/roles";
import { currentManifest, rpcUrl } from "./server-config";

export interface VaultRole {
  vault_id: string;
  name: string;
  role: Role;
}

/**
 * The signed-in user's vaults and roles, read from the chain's registry plus VIEW_ONLY, with the very
 * same role directory the OMS uses (oms/api/roles.ts), so navigation and OMS authorization agree.
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
    cached = {
      key,
      directory: createChainRoleDirectory({
        client,
        manifest,
        viewOnly: parseViewOnly(process.env.VIEW_ONLY),
        cacheMs: 5_000,
      }),
    };
  }
  return cached.directory;
}

/** `VIEW_ONLY=addr=vault_id,vault_id;addr=…`; malformed entries are skipped with a warning (the OMS refuses to boot on them). */
export function parseViewOnly(value: string | undefined): Map<string, string[]> {
  const grants = new Map<string, string[]>();
  for (const entry of (value ?? "").split(";").map((part) => part.trim())) {
    if (entry === "") continue;
    const [who, list = ""] = entry.split("=");
    const address = Address.safeParse(who);
    const vaults = list.split(",").map((id) => VaultId.safeParse(id.trim()));
    if (!address.success || vaults.some((vault) => !vault.success)) {
      console.warn(`[auth] ignoring malformed VIEW_ONLY entry "${entry}"`);
      continue;
    }
    grants.set(address.data, [
      ...(grants.get(address.data) ?? []),
      ...vaults.flatMap((v) => (v.success ? [v.data] : [])),
    ]);
  }
  return grants;
}
