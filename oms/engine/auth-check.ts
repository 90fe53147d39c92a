import type { Hex } from "viem";
import type { ErrorCode } from "../../lib/defix/errors";
import type { DeploymentManifest } from "../../lib/deployment/manifest";
import { verifyHookProof } from "../chain/merkle";
import { hookCalls, proofsFor } from "../domain/hook-calls";
import type { PlanSubject } from "./planner";

export type AuthCheck =
  | { ok: true; hooks: { hook: Hex; hook_args: Hex }[] }
  | { ok: false; code: ErrorCode; message: string };

/**
 * The submitted root must be the vault's on-chain root and every hook's proof must verify against it.
 * One check for the ACKED step and for a refinement, so both refuse the same intents.
 */
export function checkAuthSigning(manifest: DeploymentManifest, subject: PlanSubject, root: Hex): AuthCheck {
  if (root.toLowerCase() !== subject.auth_signing.root.toLowerCase()) {
    const message = `submitted root ${subject.auth_signing.root} is not the vault's on-chain root ${root}`;
    return { ok: false, code: "MERKLE_ROOT_MISMATCH", message };
  }
  const calls = hookCalls(subject, manifest);
  const proofs = proofsFor(subject, calls);
  if (calls.length === 0 || proofs === null) {
    return { ok: false, code: "MERKLE_PROOF_INVALID", message: "the intent does not carry a proof per hook" };
  }
  const invalid = calls.findIndex((call, i) => !verifyHookProof(root, call.hook, call.hookArgs, proofs[i] ?? []));
  if (invalid >= 0) {
    const call = calls[invalid];
    const message = `proof of hook ${invalid} (${call?.hook}) does not verify against root ${root}`;
    return { ok: false, code: "MERKLE_PROOF_INVALID", message };
  }
  return { ok: true, hooks: calls.map((call) => ({ hook: call.hook, hook_args: call.hookArgs })) };
}
