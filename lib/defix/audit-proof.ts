import { z } from "zod";
import { AuditCheckpoint } from "./audit";
import { IsoDateTime, VaultId } from "./common";

/**
 * `GET /defix/intents/{id}/proof` (docs/ARCHITECTURE.md, "Audit chain"): one intent's whole event chain, its place
 * in the vault's latest checkpoint (a Merkle path from the head the checkpoint holds to its `heads_root`), signed by
 * the OMS's audit key. An auditor checks it offline: `npm run audit -- verify-proof FILE [--public-key PEM_FILE]`.
 */
export const INTENT_PROOF_FORMAT = "defix-intent-proof/1";

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/);

export const ProofEvent = z.strictObject({
  event_id: z.string(),
  intent_id: z.string(),
  execution_id: z.string().nullable(),
  message_type: z.string(),
  seq_num: z.number().int().min(1),
  payload: z.unknown(),
  created_at: z.string(),
  position: z.number().int().min(1),
  prev_hash: Hex64,
  hash: Hex64,
});
export type ProofEvent = z.infer<typeof ProofEvent>;

export const MerkleStep = z.strictObject({ side: z.enum(["left", "right"]), hash: Hex64 });

/** The intent's head as the checkpoint holds it, and the path from its leaf to the checkpoint's root. */
export const CheckpointInclusion = z.strictObject({
  index: z.number().int().nonnegative(),
  seq_num: z.number().int().min(1),
  hash: Hex64,
  path: z.array(MerkleStep),
});

export const IntentProofBody = z.strictObject({
  format: z.literal(INTENT_PROOF_FORMAT),
  intent_id: z.string(),
  vault_id: VaultId,
  generated_at: IsoDateTime,
  events: z.array(ProofEvent),
  head: z.strictObject({ seq_num: z.number().int().min(1), hash: Hex64, position: z.number().int().min(1) }),
  /** The vault's latest checkpoint, or null before the first one (written by the periodic checkpoint job). */
  checkpoint: AuditCheckpoint.nullable(),
  /** Null when the checkpoint predates the intent (its next checkpoint will hold it). */
  inclusion: CheckpointInclusion.nullable(),
  algorithm: z.literal("ES256"),
  public_key: z.string(),
});
export type IntentProofBody = z.infer<typeof IntentProofBody>;

export const IntentProof = z.strictObject({
  proof: IntentProofBody,
  /** ES256 (P-256, IEEE P1363 r‖s, hex) over canonicalJson(proof). */
  signature: z.string().regex(/^[0-9a-f]{128}$/),
});
export type IntentProof = z.infer<typeof IntentProof>;
