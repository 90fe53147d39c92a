import { type Address, getAddress } from "viem";
import type { ManifestVault } from "./manifest";

/** Each distinct hook of a vault's merkle tree once, with its contract name (`Deposit4626Hook`): what budgets key by. */
export function vaultHooks(vault: Pick<ManifestVault, "merkle">): { hook: Address; name: string }[] {
  const byAddress = new Map<string, { hook: Address; name: string }>();
  for (const leaf of vault.merkle.hooks) {
    const hook = getAddress(leaf.hook);
    if (!byAddress.has(hook)) byAddress.set(hook, { hook, name: leaf.label.split(":")[0] ?? leaf.label });
  }
  return [...byAddress.values()];
}
