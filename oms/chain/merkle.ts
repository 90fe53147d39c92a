import { type Address, concat, encodeAbiParameters, type Hex, keccak256 } from "viem";

/** The OpenZeppelin StandardMerkleTree leaf for ["address","bytes"], as SuperVault computes it. */
export function hookLeaf(hook: Address, hookArgs: Hex): Hex {
  return keccak256(keccak256(encodeAbiParameters([{ type: "address" }, { type: "bytes" }], [hook, hookArgs])));
}

const hashPair = (a: Hex, b: Hex): Hex =>
  keccak256(a.toLowerCase() < b.toLowerCase() ? concat([a, b]) : concat([b, a]));

/** OpenZeppelin MerkleProof.verify: sorted-pair hashing up from the leaf must reach the root. */
export function verifyHookProof(root: Hex, hook: Address, hookArgs: Hex, proof: readonly Hex[]): boolean {
  const computed = proof.reduce<Hex>((node, sibling) => hashPair(node, sibling), hookLeaf(hook, hookArgs));
  return computed.toLowerCase() === root.toLowerCase();
}
