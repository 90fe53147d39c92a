import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { type Address, encodeAbiParameters, type Hex } from "viem";

/**
 * A vault's hooks merkle tree: one leaf per allowed (hook, hookArgs) pair, in OpenZeppelin's
 * StandardMerkleTree format for types ["address","bytes"]; SuperVault checks the same double-hashed leaf.
 */

export const HOOK_LEAF_TYPES = ["address", "bytes"] as const;

export type HookName = "Deposit4626Hook" | "Redeem4626Hook";

export interface HookLeafInput {
  label: string;
  name: HookName;
  hook: Address;
  yieldSource: Address;
}

export interface HookLeaf extends HookLeafInput {
  hookArgs: Hex;
  leaf: Hex;
  proof: Hex[];
}

export interface HooksTree {
  root: Hex;
  /** `StandardMerkleTree.dump()`, the published artifact anyone can rebuild proofs from. */
  dump: unknown;
  leaves: HookLeaf[];
}

/** hookArgs of both 4626 hooks: the yield source they touch (never an amount). */
export function encodeHookArgs(yieldSource: Address): Hex {
  return encodeAbiParameters([{ type: "address" }], [yieldSource]);
}

export function buildHooksTree(inputs: readonly HookLeafInput[]): HooksTree {
  const values: [string, string][] = inputs.map((input) => [input.hook, encodeHookArgs(input.yieldSource)]);
  const tree = StandardMerkleTree.of(values, [...HOOK_LEAF_TYPES]);
  const leaves = inputs.map((input, index) => ({
    ...input,
    hookArgs: values[index]![1] as Hex,
    leaf: tree.leafHash(values[index]!) as Hex,
    proof: tree.getProof(index) as Hex[],
  }));
  return { root: tree.root as Hex, dump: tree.dump(), leaves };
}
