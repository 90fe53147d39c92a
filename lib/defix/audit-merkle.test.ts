import { describe, expect, it } from "vitest";
import { headsProof, headsRoot, type IntentHead, rootFromProof, sortHeads } from "./audit-merkle";

const head = (i: number): IntentHead => ({ intent_id: `intent-${i}`, seq_num: i + 1, hash: String(i % 10).repeat(64) });

describe("checkpoint Merkle tree over intents' heads", () => {
  it("gives every head a path to the root, for even and odd counts", () => {
    for (let n = 1; n <= 9; n++) {
      const heads = sortHeads(Array.from({ length: n }, (_, i) => head(i)));
      const root = headsRoot(heads);
      heads.forEach((h, i) => {
        expect(rootFromProof(h, headsProof(heads, i)), `n=${n} i=${i}`).toBe(root);
      });
    }
  });
  it("changes the root when a head is changed, removed or added", () => {
    const heads = sortHeads([head(0), head(1), head(2)]);
    const root = headsRoot(heads);
    expect(headsRoot([{ ...head(0), seq_num: 9 }, head(1), head(2)])).not.toBe(root);
    expect(headsRoot(heads.slice(1))).not.toBe(root);
    expect(headsRoot(sortHeads([...heads, head(3)]))).not.toBe(root);
    expect(headsRoot([])).toBe("0".repeat(64));
    // Another head's path does not prove this head.
    expect(rootFromProof(head(0), headsProof(heads, 1))).not.toBe(root);
  });
});
