import { verify as verifySignature } from "node:crypto";
import type { AuditCheckpoint } from "../../lib/defix/audit";
import { canonicalJson, eventHash, GENESIS_HASH } from "../../lib/defix/audit-chain";
import { checkpointHash, checkpointMessage, rootFromProof } from "../../lib/defix/audit-merkle";
import { IntentProof } from "../../lib/defix/audit-proof";
import { samePublicKey } from "./verify";

/** Offline check of an intent proof (lib/defix/audit-proof.ts); the first problem is named. */
export interface ProofVerified {
  ok: boolean;
  failure?: string;
  proof?: IntentProof["proof"];
}

const isSignedBy = (message: string, publicKey: string, signature: string): boolean =>
  verifySignature(
    "sha256",
    Buffer.from(message, "utf8"),
    { key: publicKey, dsaEncoding: "ieee-p1363" },
    Buffer.from(signature, "hex"),
  );

function checkEvents(proof: IntentProof["proof"]): string | undefined {
  let prev = GENESIS_HASH;
  let position = 0;
  for (const [i, event] of proof.events.entries()) {
    const name = `event seq ${event.seq_num} (${event.event_id})`;
    if (event.intent_id !== proof.intent_id) return `${name} belongs to another intent`;
    if (event.seq_num !== i + 1) return `${name} is not seq ${i + 1} (an event is missing or moved)`;
    if (event.prev_hash !== prev) return `${name} does not link to the event before it`;
    if (!(event.position > position)) return `${name} is not after the event before it`;
    if (eventHash(prev, event) !== event.hash) return `${name}: its hash does not match its content`;
    prev = event.hash;
    position = event.position;
  }
  const last = proof.events.at(-1);
  if (last === undefined || last.hash !== proof.head.hash || last.seq_num !== proof.head.seq_num)
    return "the head is not the last event";
  return undefined;
}

/** A checkpoint's own seal: its hash over its fields and the OMS's signature (also checked in audit exports). */
export function checkpointFailure(checkpoint: AuditCheckpoint, vaultId: string, publicKey: string): string | undefined {
  if (checkpoint.vault_id !== vaultId) return "the checkpoint is another vault's";
  if (checkpointHash(checkpoint.prev_hash, checkpoint) !== checkpoint.hash)
    return `checkpoint ${checkpoint.seq}: its hash does not match its content`;
  if (!isSignedBy(checkpointMessage(checkpoint), publicKey, checkpoint.signature))
    return `checkpoint ${checkpoint.seq}: its signature does not verify`;
  return undefined;
}

function checkCheckpoint(proof: IntentProof["proof"]): string | undefined {
  const { checkpoint, inclusion } = proof;
  if (checkpoint === null) return inclusion === null ? undefined : "an inclusion without a checkpoint";
  const sealFailure = checkpointFailure(checkpoint, proof.vault_id, proof.public_key);
  if (sealFailure !== undefined) return sealFailure;
  if (inclusion === null) {
    const first = proof.events[0];
    return first !== undefined && first.position <= checkpoint.position
      ? "the intent had events at the checkpoint but no inclusion is given"
      : undefined;
  }
  const held = proof.events.find((event) => event.seq_num === inclusion.seq_num);
  if (held === undefined || held.hash !== inclusion.hash)
    return `the checkpoint holds seq ${inclusion.seq_num} with another hash than the intent's chain`;
  if (held.position > checkpoint.position) return "the checkpoint holds an event written after it";
  const next = proof.events.find((event) => event.seq_num === inclusion.seq_num + 1);
  if (next !== undefined && next.position <= checkpoint.position)
    return `the checkpoint should hold seq ${next.seq_num}, written before it`;
  const root = rootFromProof(
    { intent_id: proof.intent_id, seq_num: inclusion.seq_num, hash: inclusion.hash },
    inclusion.path,
  );
  if (root !== checkpoint.heads_root) return `the Merkle path does not lead to checkpoint ${checkpoint.seq}'s root`;
  return undefined;
}

export function verifyProof(text: string, options: { publicKeyPem?: string } = {}): ProofVerified {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, failure: "the file is not JSON" };
  }
  const parsed = IntentProof.safeParse(raw);
  if (!parsed.success) return { ok: false, failure: "the file is not an intent proof" };
  const { proof, signature } = parsed.data;
  const fail = (failure: string): ProofVerified => ({ ok: false, failure, proof });
  const failure = checkEvents(proof) ?? checkCheckpoint(proof);
  if (failure !== undefined) return fail(failure);
  if (options.publicKeyPem !== undefined) {
    if (!samePublicKey(options.publicKeyPem, proof.public_key))
      return fail("the proof was signed by another key than the one given (--public-key)");
  }
  if (!isSignedBy(canonicalJson(proof), proof.public_key, signature))
    return fail("the proof's signature does not verify");
  return { ok: true, proof };
}
