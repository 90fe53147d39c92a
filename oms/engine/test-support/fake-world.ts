import type { Address, LocalAccount } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { buildHooksTree } from "../../../lib/chain/hooks-tree";
import type { Readiness } from "../../../lib/defix";
import type { NotReadyReason } from "../../../lib/defix/session-keys";
import type { DeploymentManifest } from "../../../lib/deployment/manifest";
import type { SessionKeyProvider } from "../../domain/session-key-provider";

const addr = (n: number) => `0x${n.toString(16).padStart(40, "0")}` as Address;

/** A one-vault manifest whose merkle tree really contains its deposit/redeem leaves. */
export function fakeManifest(): DeploymentManifest {
  const deposit = addr(0xd1);
  const redeem = addr(0xd2);
  const sources = [addr(0xb1), addr(0xb2)];
  const vault = addr(0xaa);
  const tree = buildHooksTree(
    sources.flatMap((source, i) => [
      { label: `d${i}`, name: "Deposit4626Hook" as const, hook: deposit, yieldSource: source },
      { label: `r${i}`, name: "Redeem4626Hook" as const, hook: redeem, yieldSource: source },
    ]),
  );
  return {
    version: 1,
    chain_id: 31337,
    rpc_url: "memory:",
    deployed_at: new Date(0).toISOString(),
    deployer: addr(1),
    explorer_url: null,
    contracts: {
      asset: { address: addr(0xa5), name: "Dev USD", symbol: "dUSD", decimals: 6 },
      registry: addr(0xe1),
      executor: addr(0xe2),
      hooks: { deposit4626: deposit, redeem4626: redeem },
      yield_sources: sources.map((address, i) => ({ address, name: `Source ${i}`, symbol: `YS${i}` })),
    },
    vaults: [
      {
        vault_id: `31337:${vault}`,
        address: vault,
        name: "Vault",
        symbol: "V",
        strategy: vault,
        primary_manager: addr(2),
        secondary_managers: [],
        yield_sources: sources,
        merkle: {
          root: tree.root,
          tree: tree.dump,
          hooks: tree.leaves.map((leaf) => ({
            label: leaf.label,
            name: leaf.name,
            hook: leaf.hook,
            hook_args: leaf.hookArgs,
            yield_source: leaf.yieldSource,
            leaf: leaf.leaf,
            proof: leaf.proof,
          })),
        },
      },
    ],
    accounts: [],
  };
}

/** Keys whose readiness a test flips at will. */
export function switchableKeys(): SessionKeyProvider & {
  isReady: boolean;
  notReadyReason: NotReadyReason;
  account: LocalAccount;
} {
  const account = privateKeyToAccount(`0x${"5e".repeat(32)}`);
  const keys = {
    isReady: true,
    notReadyReason: "NO_KEY" as NotReadyReason,
    account,
    async readiness(vaultId: string): Promise<Readiness> {
      return {
        vault_id: vaultId,
        is_ready: keys.isReady,
        session_key_address: keys.isReady ? (account.address.toLowerCase() as Address) : null,
        expires_at: null,
        pending_rotation: false,
        reason: keys.isReady ? null : keys.notReadyReason,
        pending_session_key_address: null,
        checked_at: new Date(0).toISOString(),
      };
    },
    async signerFor() {
      return keys.isReady ? account : null;
    },
    executionMined() {},
  };
  return keys;
}
