import type { Address } from "viem";
import type { ApprovalPolicy } from "../../lib/defix/approvals";
import type { Authorization, AuthorizationMember } from "../../lib/defix/authorization";
import type { ManifestVault } from "../../lib/deployment/manifest";
import type { NewEvent } from "../domain/new-event";
import type { IntentRecord } from "../domain/record";
import { evaluateSizeExpr, SizeExprError } from "../domain/size-expr";
import { policyAt } from "../store/approval-policies-repo";
import { commit, finish, isPastDeadline, type StepResult, waitDelay } from "./commit";
import type { EngineDeps } from "./deps";

export const APPROVAL_REQUIRED = "APPROVAL_REQUIRED";
const BPS = 10_000n;

export interface SizeReading {
  size: bigint;
  block: number;
}

/** The size `size_expr` evaluates to at the head block; null when it does not evaluate (planning aborts it). */
export async function sizeAtHead(
  deps: EngineDeps,
  record: IntentRecord,
  vault: ManifestVault,
): Promise<SizeReading | null> {
  const block = await deps.chain.blockNumber();
  const env = await deps.chain.vaultState(
    vault.address as Address,
    record.action_config.target_address as Address,
    BigInt(block),
  );
  try {
    return { size: evaluateSizeExpr(record.action_config.size_expr, env), block };
  } catch (error) {
    if (error instanceof SizeExprError) return null;
    throw error;
  }
}

/** Whether `size` moved from the approved size by more than the quorum's tolerance. */
export function isBeyondTolerance(authorization: Authorization, size: bigint): boolean {
  const approved = BigInt(authorization.size);
  const drift = size > approved ? size - approved : approved - size;
  return drift * BPS > BigInt(authorization.tolerance_bps) * approved;
}

/** The rules of `policy` that catch the intent at `size`, in words (empty: not caught). */
export function caughtBy(policy: ApprovalPolicy, record: IntentRecord, size: bigint): string[] {
  const destination = record.action_config.execution_params.to_yield_source;
  const targets = [record.action_config.target_address.toLowerCase(), String(destination ?? "").toLowerCase()];
  return policy.rules.flatMap((rule) => {
    if (rule.kind === "always") return ["every intent"];
    if (rule.kind === "action") return rule.actions.includes(record.action) ? [`action ${record.action}`] : [];
    if (rule.kind === "size_above") return size > BigInt(rule.threshold) ? [`size above ${rule.threshold}`] : [];
    const hit = rule.addresses.find((address) => targets.includes(address));
    return hit === undefined ? [] : [`target ${hit}`];
  });
}

/** The quorum's members now: the vault's managers (on-chain when the engine knows them) and named addresses. */
async function membersOf(
  deps: EngineDeps,
  policy: ApprovalPolicy,
  vault: ManifestVault,
): Promise<AuthorizationMember[]> {
  const members: AuthorizationMember[] = [];
  if (policy.members.managers) {
    const managers = (await deps.managers?.(vault.vault_id)) ?? {
      primary: vault.primary_manager,
      secondaries: vault.secondary_managers,
    };
    for (const address of [managers.primary, ...managers.secondaries]) {
      members.push({ type: "manager", address: address.toLowerCase() as Address, signed_at: null });
    }
  }
  for (const address of policy.members.addresses) {
    if (!members.some((member) => member.address === address))
      members.push({ type: "address", address, signed_at: null });
  }
  return members;
}

/** The WAITING event that asks the quorum (again) at `reading`, nobody signed. */
export function approvalRequest(authorization: Authorization, why: string): NewEvent {
  const missing = authorization.threshold;
  const message = `${why}: waiting for ${missing} approval${missing === 1 ? "" : "s"} of "${authorization.display_name}" (policy v${authorization.policy_version})`;
  return { message_type: "WAITING", payload: { reason: APPROVAL_REQUIRED, message, authorization } };
}

/** A fresh quorum over the same members at a new size (a drift sends the intent back to pending). */
export function repended(authorization: Authorization, reading: SizeReading): Authorization {
  return {
    ...authorization,
    size: reading.size.toString(),
    size_block: reading.block,
    members: authorization.members.map((member) => ({ ...member, signed_at: null })),
  };
}

/** A pending intent waits (looked at again every `waitRetryMs`) until its quorum decides or its deadline passes. */
export async function waitForQuorum(deps: EngineDeps, record: IntentRecord): Promise<StepResult> {
  if (isPastDeadline(deps, record)) {
    return finish(deps, record, "INTENT_EXPIRED", "APPROVAL_TIMEOUT", "deadline passed before the quorum approved");
  }
  return { kind: "wait", delayMs: waitDelay(deps, record, deps.config.waitRetryMs) };
}

/**
 * The RECEIVED step's gate, after the proofs checked out: null when the intent may go on (no policy
 * caught it, or its quorum approved); otherwise it waits. The policy version in force when the intent
 * was received judges it, evaluated once: the first time it reaches this gate.
 */
export async function approvalGate(
  deps: EngineDeps,
  record: IntentRecord,
  vault: ManifestVault,
): Promise<StepResult | null> {
  if (record.approval_status === "approved") return null;
  if (record.approval_status === "pending") return waitForQuorum(deps, record);
  const version =
    deps.context === undefined ? await policyAt(deps.db, record.vault_id, record.created_at) : deps.context.policy;
  if (version?.policy == null) return null;
  const reading = await sizeAtHead(deps, record, vault);
  if (reading === null) return null;
  const rules = caughtBy(version.policy, record, reading.size);
  if (rules.length === 0) return null;
  const authorization: Authorization = {
    display_name: version.policy.display_name,
    policy_version: version.version,
    members: await membersOf(deps, version.policy, vault),
    threshold: version.policy.threshold,
    tolerance_bps: version.policy.tolerance_bps,
    caught_by: rules,
    size: reading.size.toString(),
    size_block: reading.block,
  };
  const waiting = await commit(deps, record, [approvalRequest(authorization, `caught by ${rules.join(", ")}`)]);
  return { kind: "wait", delayMs: waitDelay(deps, waiting, deps.config.waitRetryMs) };
}

/**
 * At planning: an approved size that drifted beyond the tolerance does not execute on the old
 * approvals; the intent waits again (in STAGED) for a quorum at the new size. null = go on.
 */
export async function driftGate(
  deps: EngineDeps,
  record: IntentRecord,
  plannedSize: string,
): Promise<StepResult | null> {
  const authorization = record.authorization;
  if (record.approval_status !== "approved" || authorization === null) return null;
  if (!isBeyondTolerance(authorization, BigInt(plannedSize))) return null;
  const reading = { size: BigInt(plannedSize), block: await deps.chain.blockNumber() };
  const event = approvalRequest(
    repended(authorization, reading),
    `size moved from ${authorization.size} to ${plannedSize}`,
  );
  const waiting = await commit(deps, record, [event]);
  return { kind: "wait", delayMs: waitDelay(deps, waiting, deps.config.waitRetryMs) };
}
