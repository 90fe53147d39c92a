import type { Kysely } from "kysely";
import { canonicalJson } from "../../lib/defix/audit-chain";
import { headsProof, headsRoot } from "../../lib/defix/audit-merkle";
import { INTENT_PROOF_FORMAT, type IntentProof, type IntentProofBody } from "../../lib/defix/audit-proof";
import { ErrorCode } from "../../lib/defix/errors";
import { DomainError } from "../kernel/errors";
import { intentChain, intentVault } from "../store/audit-repo";
import { latestCheckpoint, vaultHeadsAt } from "../store/checkpoints-repo";
import type { Database } from "../store/schema";
import type { ManifestSigner } from "./audit-export";

/**
 * One intent's proof (lib/defix/audit-proof.ts): its whole chain, and its head's place in the vault's latest
 * checkpoint. The checkpoint's root is recomputed from the database first: if the intents' heads no longer give
 * the signed root (an event or an intent deleted or rewritten since), the OMS says so instead of proving anything.
 */
export function createIntentProver(deps: ProverDeps) {
  return {
    /** The intent's vault, or null when there is no such intent. */
    async vaultOf(intentId: string): Promise<string | null> {
      return (await intentVault(deps.db, intentId)) ?? null;
    },
    prove: (intent: { id: string; vault_id: string }) => intentProof(deps, intent),
  };
}

interface ProverDeps {
  db: Kysely<Database>;
  signer: ManifestSigner;
  now: () => Date;
}

async function intentProof(deps: ProverDeps, intent: { id: string; vault_id: string }): Promise<IntentProof> {
  const events = await intentChain(deps.db, intent.id);
  const last = events.at(-1);
  if (last === undefined) throw new DomainError(ErrorCode.INTENT_NOT_FOUND, "The intent has no events");
  const checkpoint = await latestCheckpoint(deps.db, intent.vault_id);
  let inclusion: IntentProofBody["inclusion"] = null;
  if (checkpoint !== null) {
    const heads = await vaultHeadsAt(deps.db, intent.vault_id, checkpoint.position);
    if (headsRoot(heads) !== checkpoint.heads_root) {
      throw new DomainError(
        ErrorCode.AUDIT_CHECKPOINT_MISMATCH,
        `The vault's events no longer match its checkpoint ${checkpoint.seq}: records were changed or deleted since`,
      );
    }
    const index = heads.findIndex((head) => head.intent_id === intent.id);
    const head = heads[index];
    if (head !== undefined)
      inclusion = { index, seq_num: head.seq_num, hash: head.hash, path: headsProof(heads, index) };
  }
  const proof: IntentProofBody = {
    format: INTENT_PROOF_FORMAT,
    intent_id: intent.id,
    vault_id: intent.vault_id,
    generated_at: deps.now().toISOString(),
    events,
    head: { seq_num: last.seq_num, hash: last.hash, position: last.position },
    checkpoint,
    inclusion,
    algorithm: "ES256",
    public_key: deps.signer.publicKeyPem,
  };
  return { proof, signature: deps.signer.sign(canonicalJson(proof)) };
}
