import { type Address, formatEther, type LocalAccount } from "viem";
import type { ErrorCode } from "../../lib/defix/errors";
import type { ManifestVault } from "../../lib/deployment/manifest";
import type { IntentRecord } from "../domain/record";
import { refinementForIntent } from "../store/refinements-repo";
import { approvalGate, driftGate, waitForQuorum } from "./approval-gate";
import { checkAuthSigning } from "./auth-check";
import { commit, finish, isPastDeadline, type StepResult, waitDelay } from "./commit";
import type { EngineDeps } from "./deps";
import { BUDGET_EXHAUSTED, limitOfRevert, PAUSED, waitForLimit } from "./limits";
import { planIntent } from "./planner";
import { planFromRefinement } from "./refined-plan";

const KEY_NOT_READY = "SESSION_KEY_NOT_READY";
const FEE_CAP_EXCEEDED = "FEE_CAP_EXCEEDED";

/** RECEIVED → ACKED: the submitted root is the vault's on-chain root and every hook's proof verifies. */
export async function ackStep(deps: EngineDeps, record: IntentRecord, vault: ManifestVault): Promise<StepResult> {
  if (record.approval_status === "pending") return waitForQuorum(deps, record);
  if (isPastDeadline(deps, record)) return finish(deps, record, "INTENT_EXPIRED", "DEADLINE_PASSED", "deadline passed");
  const root = await deps.chain.hooksRoot(vault.address);
  const checked = checkAuthSigning(deps.manifest, record, root);
  if (!checked.ok) return finish(deps, record, "INTENT_ABORTED", checked.code, checked.message);
  const gated = await approvalGate(deps, record, vault);
  if (gated !== null) return gated;
  return {
    kind: "moved",
    record: await commit(deps, record, [{ message_type: "INTENT_ACKED", payload: { root, hooks: checked.hooks } }]),
  };
}

/** The vault's signer, or a WAITING result (the event is appended once per wait, not per poll). */
async function signerOrWait(
  deps: EngineDeps,
  record: IntentRecord,
): Promise<{ signer: LocalAccount } | { result: StepResult }> {
  if (isPastDeadline(deps, record)) {
    const { code, message } = expiryOf(record);
    return { result: await finish(deps, record, "INTENT_EXPIRED", code, message) };
  }
  const readiness = await deps.keys.readiness(record.vault_id);
  if (readiness.reason === PAUSED) return { result: await waitForLimit(deps, record, PAUSED) };
  const signer = readiness.is_ready ? await deps.keys.signerFor(record.vault_id) : null;
  if (signer !== null) return { signer };
  return { result: await waitForKey(deps, record, readiness.reason, readiness.reason ?? "unknown") };
}

/** An intent that expires while waiting says what it waited for. */
function expiryOf(record: IntentRecord): { code: ErrorCode; message: string } {
  if (record.waiting_reason === KEY_NOT_READY) {
    return { code: KEY_NOT_READY, message: "deadline passed while the vault had no ready session key" };
  }
  if (record.waiting_reason === FEE_CAP_EXCEEDED) {
    return {
      code: FEE_CAP_EXCEEDED,
      message: "deadline passed while network fees stayed above the per-transaction cap",
    };
  }
  if (record.waiting_reason === PAUSED) {
    return { code: PAUSED, message: "deadline passed while the vault's automation was paused on-chain" };
  }
  if (record.waiting_reason === BUDGET_EXHAUSTED) {
    return { code: BUDGET_EXHAUSTED, message: "deadline passed while the strategy's on-chain budget was used up" };
  }
  return { code: "DEADLINE_PASSED", message: "deadline passed" };
}

/**
 * The transaction would cost more than the OMS's per-transaction cap: nothing is signed (no nonce is
 * taken) and the intent waits, once per wait a WAITING event, until fees fall or the deadline passes.
 */
export async function waitForFees(
  deps: EngineDeps,
  record: IntentRecord,
  cost: bigint,
  cap: bigint,
): Promise<StepResult> {
  let current = record;
  if (record.waiting_reason !== FEE_CAP_EXCEEDED) {
    const message = `the transaction may cost up to ${formatEther(cost)} ETH at the current gas price, above the cap of ${formatEther(cap)} ETH per transaction (OMS_MAX_FEE_PER_TX_WEI); waiting for fees to fall`;
    const payload = { reason: FEE_CAP_EXCEEDED, message, max_cost_wei: cost.toString(), cap_wei: cap.toString() };
    current = await commit(deps, record, [{ message_type: "WAITING", payload }]);
  }
  return { kind: "wait", delayMs: waitDelay(deps, current, deps.config.waitRetryMs) };
}

/**
 * The intent waits for a usable key until its deadline. The WAITING event is appended once per wait,
 * not per poll; `readinessReason` is the readiness code that says why (e.g. INSUFFICIENT_GAS).
 */
export async function waitForKey(
  deps: EngineDeps,
  record: IntentRecord,
  readinessReason: string | null,
  detail: string,
): Promise<StepResult> {
  let current = record;
  if (record.waiting_reason !== KEY_NOT_READY) {
    const message = `vault has no ready session key (${detail}); waiting until the deadline`;
    const payload = { reason: KEY_NOT_READY, message, readiness_reason: readinessReason };
    current = await commit(deps, record, [{ message_type: "WAITING", payload }]);
  }
  return { kind: "wait", delayMs: waitDelay(deps, current, deps.config.waitRetryMs) };
}

/** ACKED → STAGED once the vault has a usable session key for account mode OMS. */
export async function stageStep(deps: EngineDeps, record: IntentRecord): Promise<StepResult> {
  const outcome = await signerOrWait(deps, record);
  if ("result" in outcome) return outcome.result;
  const payload = { session_key_address: outcome.signer.address.toLowerCase(), account_mode: record.account_mode };
  return { kind: "moved", record: await commit(deps, record, [{ message_type: "INTENT_STAGED", payload }]) };
}

/** STAGED → PLANNED: sized, built and simulated; a failing simulation ends the intent here. */
export async function planStep(deps: EngineDeps, record: IntentRecord, vault: ManifestVault): Promise<StepResult> {
  if (record.approval_status === "pending") return waitForQuorum(deps, record);
  const outcome = await signerOrWait(deps, record);
  if ("result" in outcome) return outcome.result;
  const signer = outcome.signer.address as Address;
  // An intent submitted with a refinement executes exactly the refined plan (or fails stale).
  const refinement =
    deps.context === undefined ? await refinementForIntent(deps.db, record.id) : deps.context.refinement;
  const planned =
    refinement?.plan != null
      ? await planFromRefinement(deps, { ...refinement, plan: refinement.plan }, vault, signer)
      : await planIntent(deps, record, vault, signer);
  if (!planned.ok) {
    // Over budget or paused: wait (nothing is broadcast) rather than fail; the simulation read the limits.
    const limit = planned.failure.revert ? limitOfRevert(planned.failure.revert) : null;
    if (limit !== null) {
      const { reason, ...details } = limit;
      return waitForLimit(deps, record, reason, details);
    }
    const type = planned.failure.state === "ABORTED" ? "INTENT_ABORTED" : "INTENT_FAILED";
    return finish(deps, record, type, planned.failure.code, planned.failure.message);
  }
  const drifted = await driftGate(deps, record, planned.plan.size);
  if (drifted !== null) return drifted;
  return {
    kind: "moved",
    record: await commit(deps, record, [{ message_type: "INTENT_PLANNED", payload: { plan: planned.plan } }]),
  };
}

export { signerOrWait };
