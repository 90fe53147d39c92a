import type { Address, Hex } from "viem";
import type { ManifestVault } from "../../lib/deployment/manifest";

/** Builds executeHooks arguments from a vault's published merkle leaves, as the OMS does. */

export interface HookStep {
  /** Leaf label from the manifest, e.g. `Deposit4626Hook:ysAAVE`. */
  label: string;
  amount: bigint;
  minOutput?: bigint;
}

export type ExecuteHooksArgs = readonly [Address[], Hex[], bigint[], bigint[], Hex[][]];

export function leafOf(vault: ManifestVault, label: string): ManifestVault["merkle"]["hooks"][number] {
  const leaf = vault.merkle.hooks.find((candidate) => candidate.label === label);
  if (!leaf) throw new Error(`vault ${vault.symbol} has no hook ${label}`);
  return leaf;
}

export function hooksCall(vault: ManifestVault, steps: readonly HookStep[]): ExecuteHooksArgs {
  const leaves = steps.map((step) => leafOf(vault, step.label));
  return [
    leaves.map((leaf) => leaf.hook),
    leaves.map((leaf) => leaf.hook_args),
    steps.map((step) => step.amount),
    steps.map((step) => step.minOutput ?? 0n),
    leaves.map((leaf) => leaf.proof),
  ];
}

/** SuperVault.USE_PREVIOUS_OUTPUT: "deposit whatever the previous hook returned". */
export const PREVIOUS_OUTPUT = 2n ** 256n - 1n;
