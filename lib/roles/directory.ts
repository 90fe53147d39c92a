import { type Address, type PublicClient, parseAbi } from "viem";
import type { Role } from "../defix/common";
import { DomainError } from "../defix/domain-error";
import { ErrorCode } from "../defix/errors";
import type { AccountMode } from "../defix/intents";
import {
  type DeploymentManifest,
  sessionKeyHolder,
  supportedAccountModes,
  vaultAccountMode,
} from "../deployment/manifest";

export interface KnownVault {
  vault_id: string;
  chain_id: number;
  address: string;
  name: string;
  symbol: string;
  /** Absent = `OMS` (directories built without a manifest, e.g. tests). */
  account_mode?: AccountMode;
  supported_modes?: readonly AccountMode[];
  /** Where the vault's session keys live (executor, vault, companion or delegated EOA). */
  key_holder?: string;
}

/** Who may do what on which vault. Claims never grant roles: the chain registry and VIEW_ONLY do. */
export interface RoleDirectory {
  vault(vaultId: string): KnownVault | undefined;
  vaults(): readonly KnownVault[];
  /** vault_id → the subject's strongest role, for every known vault where it holds one. */
  rolesFor(subject: string): Promise<ReadonlyMap<string, Role>>;
  /** The on-chain managers of a vault (cached like roles). */
  managers(vaultId: string): Promise<VaultManagers | undefined>;
}

export interface VaultManagers {
  primary: string;
  secondaries: readonly string[];
}

export const ROLE_RANK: Record<Role, number> = { VIEW_ONLY: 1, SECONDARY_MANAGER: 2, PRIMARY_MANAGER: 3 };

const MAX_SUBJECTS_PER_WINDOW = 10_000;

/** Only the views the API needs; the full ABI belongs to the contracts build. */
const registryAbi = parseAbi([
  "function primaryManager(address vault) view returns (address)",
  "function secondaryManagers(address vault) view returns (address[])",
]);

export interface ChainRoleDirectoryOptions {
  client: Pick<PublicClient, "readContract">;
  manifest: Pick<DeploymentManifest, "chain_id" | "vaults" | "contracts">;
  viewOnly: ReadonlyMap<string, readonly string[]>;
  cacheMs: number;
  now?: () => number;
}

export function createChainRoleDirectory(options: ChainRoleDirectoryOptions): RoleDirectory {
  const { client, manifest, viewOnly, cacheMs } = options;
  const now = options.now ?? Date.now;
  const registry = manifest.contracts.registry as Address;
  const known: KnownVault[] = manifest.vaults.map((vault) => ({
    vault_id: vault.vault_id.toLowerCase(),
    chain_id: manifest.chain_id,
    address: vault.address,
    name: vault.name,
    symbol: vault.symbol,
    account_mode: vaultAccountMode(vault),
    supported_modes: supportedAccountModes(vault),
    key_holder: sessionKeyHolder(manifest, vault),
  }));
  const byId = new Map(known.map((vault) => [vault.vault_id, vault]));
  /** One read of the managers per cache window, and each subject's role map built once from it. */
  let snapshot:
    | { at: number; managers: Promise<Map<string, VaultManagers>>; roles: Map<string, Promise<Map<string, Role>>> }
    | undefined;

  async function readManagers(): Promise<Map<string, VaultManagers>> {
    try {
      const entries = await Promise.all(
        known.map(async (vault) => {
          const address = vault.address as Address;
          const [primary, secondaries] = await Promise.all([
            client.readContract({
              address: registry,
              abi: registryAbi,
              functionName: "primaryManager",
              args: [address],
            }),
            client.readContract({
              address: registry,
              abi: registryAbi,
              functionName: "secondaryManagers",
              args: [address],
            }),
          ]);
          const managers = { primary: primary.toLowerCase(), secondaries: secondaries.map((m) => m.toLowerCase()) };
          return [vault.vault_id, managers] as const;
        }),
      );
      return new Map(entries);
    } catch (error) {
      const unavailable = new DomainError(ErrorCode.CHAIN_UNAVAILABLE, "Vault roles could not be read from the chain");
      // Kept for the log line; the response shows only the code and message.
      unavailable.cause = error;
      throw unavailable;
    }
  }

  // One shared in-flight read per cache window, so a burst of requests costs one round of RPC calls.
  function currentSnapshot() {
    if (!snapshot || now() - snapshot.at > cacheMs) {
      const managers = readManagers();
      const entry = { at: now(), managers, roles: new Map<string, Promise<Map<string, Role>>>() };
      snapshot = entry;
      managers.catch(() => {
        if (snapshot === entry) snapshot = undefined;
      });
    }
    return snapshot;
  }
  const currentManagers = () => currentSnapshot().managers;

  async function rolesOf(who: string, managersNow: Promise<Map<string, VaultManagers>>): Promise<Map<string, Role>> {
    const roles = new Map<string, Role>();
    for (const vaultId of viewOnly.get(who) ?? []) {
      if (byId.has(vaultId)) roles.set(vaultId, "VIEW_ONLY");
    }
    for (const [vaultId, managers] of await managersNow) {
      if (managers.primary === who) roles.set(vaultId, "PRIMARY_MANAGER");
      else if (managers.secondaries.includes(who)) roles.set(vaultId, "SECONDARY_MANAGER");
    }
    return roles;
  }

  return {
    vault: (vaultId) => byId.get(vaultId.toLowerCase()),
    vaults: () => known,
    async managers(vaultId) {
      return (await currentManagers()).get(vaultId.toLowerCase());
    },
    rolesFor(subject) {
      const who = subject.toLowerCase();
      const entry = currentSnapshot();
      let roles = entry.roles.get(who);
      if (roles === undefined) {
        // Callers per window are few; a flood of distinct subjects only costs rebuilding maps.
        if (entry.roles.size >= MAX_SUBJECTS_PER_WINDOW) entry.roles.clear();
        roles = rolesOf(who, entry.managers);
        entry.roles.set(who, roles);
      }
      return roles;
    },
  };
}
