import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { encodeAbiParameters, type Hex } from "viem";
import { describe, expect, it } from "vitest";
import { hookLeaf, verifyHookProof } from "./merkle";

const args = (n: number): Hex => encodeAbiParameters([{ type: "address" }], [`0x${n.toString(16).padStart(40, "0")}`]);
const hook = "0x00000000000000000000000000000000000000d1";

describe("hook merkle proofs", () => {
  const values: [string, string][] = [1, 2, 3, 4, 5].map((n) => [hook, args(n)]);
  const tree = StandardMerkleTree.of(values, ["address", "bytes"]);

  it("computes the same leaves and accepts the same proofs as @openzeppelin/merkle-tree", () => {
    for (const [index, value] of values.entries()) {
      expect(hookLeaf(hook, value[1] as Hex)).toBe(tree.leafHash(value));
      expect(verifyHookProof(tree.root as Hex, hook, value[1] as Hex, tree.getProof(index) as Hex[])).toBe(true);
    }
  });

  it("rejects a proof for another leaf, another hook or a tampered sibling", () => {
    const proof = tree.getProof(0) as Hex[];
    expect(verifyHookProof(tree.root as Hex, hook, args(9), proof)).toBe(false);
    expect(verifyHookProof(tree.root as Hex, "0x00000000000000000000000000000000000000d2", args(1), proof)).toBe(false);
    const tampered = [`0x${"00".repeat(32)}` as Hex, ...proof.slice(1)];
    expect(verifyHookProof(tree.root as Hex, hook, args(1), tampered)).toBe(false);
  });
});
