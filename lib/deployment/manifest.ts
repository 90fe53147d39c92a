import { readFileSync } from "node:fs";
import { z } from "zod";
import { Address, Bytes32, Hex } from "../defix/common";

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
