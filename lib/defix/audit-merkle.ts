import { bytesToHex, concatBytes, hexToBytes, sha256, stringToBytes } from "viem";
import type { AuditCheckpoint } from "./audit";
import { canonicalJson, chainLink, GENESIS_HASH, recordDigest } from "./audit-chain";

/**
 * The per-vault checkpoint's Merkle tree over its intents' heads (docs/ARCHITECTURE.md, "Audit chain"); pure,
 * shared by the OMS and the verifier. Leaves are sorted by intent id (JS string order):
 *   leaf = SHA-256(0x00 ‖ canonical JSON {intent_id, seq_num, hash}),  node = SHA-256(0x01 ‖ left ‖ right),
 * an odd node moves up unchanged; the root of no heads is 64 zeros.
 */
export interface IntentHead {
  intent_id: string;
  seq_num: number;
  hash: string;
}

export interface MerkleStep {
  /** Where the sibling sits. */
  side: "left" | "right";
  hash: string;
}

const hex = (bytes: Uint8Array): string => bytesToHex(bytes).slice(2);
const bytes = (plain: string): Uint8Array => hexToBytes(`0x${plain}`);

export function headLeaf(head: IntentHead): string {
  const { intent_id, seq_num, hash } = head;
  return hex(
    sha256(concatBytes([new Uint8Array([0]), stringToBytes(canonicalJson({ intent_id, seq_num, hash }))]), "bytes"),
  );
}

function node(left: string, right: string): string {
  return hex(sha256(concatBytes([new Uint8Array([1]), bytes(left), bytes(right)]), "bytes"));
}

export function sortHeads<T extends IntentHead>(heads: readonly T[]): T[] {
  return [...heads].sort((a, b) => (a.intent_id < b.intent_id ? -1 : a.intent_id > b.intent_id ? 1 : 0));
}

function levelUp(level: readonly string[]): string[] {
  const next: string[] = [];
  for (let i = 0; i < level.length; i += 2) {
    const left = level[i] as string;
    const right = level[i + 1];
    next.push(right === undefined ? left : node(left, right));
  }
  return next;
}

/** The root over heads already sorted by intent id (sortHeads). */
export function headsRoot(sorted: readonly IntentHead[]): string {
  if (sorted.length === 0) return GENESIS_HASH;
  let level = sorted.map(headLeaf);
  while (level.length > 1) level = levelUp(level);
  return level[0] as string;
}

/** The path from the head at `index` (of the sorted heads) to the root. */
export function headsProof(sorted: readonly IntentHead[], index: number): MerkleStep[] {
  const path: MerkleStep[] = [];
  let level = sorted.map(headLeaf);
  let at = index;
  while (level.length > 1) {
    const sibling = at % 2 === 0 ? level[at + 1] : level[at - 1];
    if (sibling !== undefined) path.push({ side: at % 2 === 0 ? "right" : "left", hash: sibling });
    level = levelUp(level);
    at = Math.floor(at / 2);
  }
  return path;
}

export function rootFromProof(head: IntentHead, path: readonly MerkleStep[]): string {
  return path.reduce(
    (current, step) => (step.side === "left" ? node(step.hash, current) : node(current, step.hash)),
    headLeaf(head),
  );
}

/** The checkpoint's own fields its chain link covers (everything but prev_hash, hash and signature). */
export function checkpointHash(
  previous: string,
  checkpoint: Omit<AuditCheckpoint, "prev_hash" | "hash" | "signature">,
) {
  const { vault_id, seq, position, intents, heads_root, created_at } = checkpoint;
  return chainLink(previous, recordDigest({ vault_id, seq, position, intents, heads_root, created_at }), seq);
}

/** What the OMS signs for a checkpoint: its canonical JSON without the signature. */
export function checkpointMessage(checkpoint: AuditCheckpoint): string {
  const { signature: _signature, ...signed } = checkpoint;
  return canonicalJson(signed);
}
