import { readFileSync } from "node:fs";
import { z } from "zod";
import { Address, Bytes32, Hex } from "../defix/common";
import { AccountMode } from "../defix/intents";

/** One allowed hook call of a vault: a leaf of its hooks merkle tree, with its proof. */
export const ManifestHook = z.object({
  /** e.g. "Deposit4626Hook:yieldA" */
  label: z.string(),
  name: z.enum(["Deposit4626Hook", "Redeem4626Hook"]),
  hook: Address,
  /** abi.encode(address yieldSource) */
  hook_args: Hex,
  yield_source: Address,
  leaf: Bytes32,
  proof: z.array(Bytes32),
});
export type ManifestHook = z.infer<typeof ManifestHook>;

export const ManifestYieldSource = z.object({ address: Address, name: z.string(), symbol: z.string() });

export const ManifestVault = z.object({
  vault_id: z.string(),
  address: Address,
  name: z.string(),
  symbol: z.string(),
  /** On-chain strategy: our vault executes its own hooks, so this equals `address`. */
  strategy: Address,
  primary_manager: Address,
  secondary_managers: z.array(Address),
  yield_sources: z.array(Address),
  /** How hooks are executed (docs/ARCHITECTURE.md, "Account modes"); absent = `OMS` (older manifests). */
  account_mode: AccountMode.optional(),
  /** Where the vault's session keys live; absent = `contracts.executor`. */
  key_holder: Address.optional(),
  /** EIP4337_COMPANION: the companion smart account (the vault's executor). */
  companion: Address.optional(),
  /** EIP7702: the strategy EOA that delegates to `contracts.account_7702` (the vault's executor). */
  delegate_eoa: Address.optional(),
  merkle: z.object({
    root: Bytes32,
    /** `StandardMerkleTree.dump()` output for types ["address","bytes"]. */
    tree: z.unknown(),
    hooks: z.array(ManifestHook),
  }),
});
export type ManifestVault = z.infer<typeof ManifestVault>;

export const DevAccount = z.object({ index: z.number().int(), address: Address, label: z.string() });

export const DeploymentManifest = z.object({
  version: z.literal(1),
  chain_id: z.number().int(),
  rpc_url: z.string(),
  deployed_at: z.string(),
  deployer: Address,
  explorer_url: z.string().nullable(),
  contracts: z.object({
    asset: z.object({ address: Address, name: z.string(), symbol: z.string(), decimals: z.number().int() }),
    registry: Address,
    executor: Address,
    /** EntryPoint v0.8 (from `@account-abstraction/contracts`), deployed by the world. */
    entry_point: Address.optional(),
    /** `SessionKey7702Account`, the implementation EIP7702 strategy EOAs delegate to. */
    account_7702: Address.optional(),
    hooks: z.object({ deposit4626: Address, redeem4626: Address }),
    yield_sources: z.array(ManifestYieldSource),
    /**
     * Dev-world contract wallets (`DevContractWallet`, ERC-1271 signed by `owner`), appended last: a smart-account
     * member for approval quorums (issue 15). Absent in manifests written before it.
     */
    contract_wallets: z.array(z.object({ address: Address, owner: Address, label: z.string() })).optional(),
  }),
  vaults: z.array(ManifestVault),
  accounts: z.array(DevAccount),
});
export type DeploymentManifest = z.infer<typeof DeploymentManifest>;

export function loadManifest(path: string): DeploymentManifest {
  return DeploymentManifest.parse(JSON.parse(readFileSync(path, "utf8")));
}

/** The account mode a vault runs in. */
export function vaultAccountMode(vault: Pick<ManifestVault, "account_mode">): AccountMode {
  return vault.account_mode ?? "OMS";
}

/** The modes an intent of this vault may use: exactly its own (nothing silently runs in another mode). */
export function supportedAccountModes(vault: ManifestVault): AccountMode[] {
  return [vaultAccountMode(vault)];
}

/** The contract that holds a vault's session keys and budgets, per account mode (docs/ARCHITECTURE.md). */
export type KeyHolderName =
  | "SessionKeyExecutor"
  | "SuperVaultAccount"
  | "SessionKeyCompanion"
  | "SessionKey7702Account";

const KEY_HOLDER_NAMES: Record<AccountMode, KeyHolderName> = {
  OMS: "SessionKeyExecutor",
  EIP4337: "SuperVaultAccount",
  EIP4337_COMPANION: "SessionKeyCompanion",
  EIP7702: "SessionKey7702Account",
};

/** The contract name of the vault's key holder, for decoded previews ("SessionKeyCompanion.setBudget"). */
export function sessionKeyHolderName(vault: Pick<ManifestVault, "account_mode">): KeyHolderName {
  return KEY_HOLDER_NAMES[vaultAccountMode(vault)];
}

/** The contract holding the vault's session keys (grant/rotate/revoke target, status reads). */
export function sessionKeyHolder(manifest: Pick<DeploymentManifest, "contracts">, vault: ManifestVault): `0x${string}` {
  return vault.key_holder ?? manifest.contracts.executor;
}
