import type { Role } from "../../../lib/defix/common";
import type { KnownVault, RoleDirectory } from "../../../lib/roles/directory";

/** A fixed role table for unit tests: vault_id → subject → role. */
export function createStaticDirectory(
  vaults: readonly KnownVault[],
  roles: Record<string, Record<string, Role>>,
): RoleDirectory {
  return {
    vault: (vaultId) => vaults.find((vault) => vault.vault_id === vaultId.toLowerCase()),
    vaults: () => vaults,
    async rolesFor(subject) {
      const result = new Map<string, Role>();
      for (const [vaultId, bySubject] of Object.entries(roles)) {
        const role = bySubject[subject.toLowerCase()];
        if (role) result.set(vaultId, role);
      }
      return result;
    },
    async managers(vaultId) {
      const entries = Object.entries(roles[vaultId] ?? {});
      const primary = entries.find(([, role]) => role === "PRIMARY_MANAGER")?.[0];
      if (!primary) return undefined;
      return { primary, secondaries: entries.filter(([, role]) => role === "SECONDARY_MANAGER").map(([who]) => who) };
    },
  };
}
