import type { Address, Hex } from "viem";
import {
  type ApprovalDecision,
  type ApprovalPolicy,
  type ApprovalPolicyState,
  approvalPolicyTypedData,
  intentDecisionTypedData,
  type PutApprovalPolicy,
} from "../../lib/defix/approvals";
import { GENESIS_HASH } from "../../lib/defix/audit-chain";
import { type Authorization, signedCount } from "../../lib/defix/authorization";
import { ErrorCode } from "../../lib/defix/errors";
import { type Intent, isTerminalState } from "../../lib/defix/intents";
import type { VaultManagers } from "../../lib/roles/directory";
import type { SignatureVerifier } from "../chain/signatures";
import type { NewEvent } from "../domain/new-event";
import { type IntentRecord, toIntent } from "../domain/record";
import { approvalRequest, isBeyondTolerance, repended, sizeAtHead } from "../engine/approval-gate";
import { checkAuthSigning } from "../engine/auth-check";
import { commit, terminalEvent } from "../engine/commit";
import type { EngineDeps } from "../engine/deps";
import { DomainError } from "../kernel/errors";
import { appendPolicyVersion, policyHead, policyHistory } from "../store/approval-policies-repo";
import { StaleIntentError } from "../store/errors";
import { getIntent } from "../store/intents-repo";

export interface ApprovalService {
  policy(vaultId: string): Promise<ApprovalPolicyState>;
  /** The primary manager's signed change; `signer` must be the caller and the vault's primary manager. */
  setPolicy(vaultId: string, request: PutApprovalPolicy, caller: string): Promise<ApprovalPolicyState>;
  /** A member's signed approval or rejection of a pending intent. */
  decide(
    intentId: string,
    decision: ApprovalDecision,
    member: string,
    signature: string,
    caller: string,
  ): Promise<Intent>;
}

export interface ApprovalServiceDeps {
  engine: EngineDeps;
  verifier: SignatureVerifier;
  managers(vaultId: string): Promise<VaultManagers | undefined>;
}

const DECIDE_RETRIES = 5;

const refuse = (code: ErrorCode, message: string): never => {
  throw new DomainError(code, message);
};

export function createApprovalService(deps: ApprovalServiceDeps): ApprovalService {
  const { engine } = deps;
  const managerSet = async (vaultId: string): Promise<string[]> => {
    const managers = await deps.managers(vaultId);
    return managers === undefined ? [] : [managers.primary, ...managers.secondaries].map((a) => a.toLowerCase());
  };

  async function policy(vaultId: string): Promise<ApprovalPolicyState> {
    const history = await policyHistory(engine.db, vaultId);
    const head = history[0];
    return {
      vault_id: vaultId,
      version: head?.version ?? 0,
      policy: head?.policy ?? null,
      head_hash: head?.hash ?? GENESIS_HASH,
      history,
    };
  }

  async function assertSatisfiable(vaultId: string, next: ApprovalPolicy | null): Promise<void> {
    if (next === null) return;
    const managers = next.members.managers ? await managerSet(vaultId) : [];
    const members = new Set([...managers, ...next.members.addresses]);
    if (next.threshold > members.size) {
      refuse(
        ErrorCode.APPROVAL_POLICY_INVALID,
        `threshold ${next.threshold} is above the ${members.size} member(s) the policy names today`,
      );
    }
  }

  async function setPolicy(vaultId: string, request: PutApprovalPolicy, caller: string) {
    const signer = request.signer.toLowerCase() as Address;
    const next = request.policy ?? null;
    const head = await policyHead(engine.db, vaultId);
    const previousHash = head?.hash ?? GENESIS_HASH;
    if (request.version !== (head?.version ?? 0) + 1) {
      refuse(
        ErrorCode.VERSION_CONFLICT,
        `the policy is at version ${head?.version ?? 0}; sign version ${(head?.version ?? 0) + 1}`,
      );
    }
    if (signer !== caller.toLowerCase()) refuse(ErrorCode.FORBIDDEN, "the policy must be signed by the caller");
    const managers = await deps.managers(vaultId);
    if (managers?.primary.toLowerCase() !== signer) {
      refuse(ErrorCode.NOT_PRIMARY_MANAGER, "only the vault's primary manager sets its approval policy");
    }
    await assertSatisfiable(vaultId, next);
    const typedData = approvalPolicyTypedData(vaultId, request.version, previousHash, next);
    if (!(await deps.verifier.verifyTypedData(signer, request.signature as Hex, typedData))) {
      refuse(ErrorCode.APPROVAL_SIGNATURE_INVALID, "the signature does not verify for this policy version");
    }
    const stored = await appendPolicyVersion(
      engine.db,
      {
        vault_id: vaultId,
        version: request.version,
        policy: next === null ? null : JSON.stringify(next),
        signed_by: signer,
        signature: request.signature.toLowerCase(),
        created_at: engine.clock.now().toISOString(),
      },
      previousHash,
    );
    if (stored === null)
      refuse(ErrorCode.VERSION_CONFLICT, "another policy version was saved meanwhile; reload and sign again");
    return policy(vaultId);
  }

  /** Every check a decision must pass against the intent as it stands now; returns the quorum. */
  async function checked(record: IntentRecord, decision: ApprovalDecision, member: Address, signature: Hex) {
    const authorization = record.authorization;
    if (isTerminalState(record.state) || record.approval_status !== "pending" || authorization === null) {
      return refuse(ErrorCode.APPROVAL_NOT_PENDING, `intent ${record.id} is not waiting for approvals`);
    }
    const seat = authorization.members.find((candidate) => candidate.address === member);
    if (seat === undefined) return refuse(ErrorCode.NOT_APPROVAL_MEMBER, `${member} is not a member of this quorum`);
    if (seat.type === "manager" && !(await managerSet(record.vault_id)).includes(member)) {
      return refuse(ErrorCode.NOT_APPROVAL_MEMBER, `${member} is no longer a manager of the vault`);
    }
    if (seat.signed_at !== null) return refuse(ErrorCode.APPROVAL_ALREADY_SIGNED, `${member} has already signed`);
    const typedData = intentDecisionTypedData(decision, { ...record, authorization });
    if (!(await deps.verifier.verifyTypedData(member, signature, typedData))) {
      return refuse(
        ErrorCode.APPROVAL_SIGNATURE_INVALID,
        `the signature is not ${member}'s ${decision} of this intent`,
      );
    }
    return authorization;
  }

  /** The events of an approval: the signature, and ACKED with it when it meets the threshold in RECEIVED. */
  async function approvalEvents(
    record: IntentRecord,
    authorization: Authorization,
    signed: NewEvent,
  ): Promise<NewEvent[]> {
    const isMet = signedCount(authorization) + 1 >= authorization.threshold;
    const vault = engine.manifest.vaults.find((candidate) => candidate.vault_id === record.vault_id);
    if (!isMet || record.state !== "RECEIVED" || vault === undefined) return [signed];
    const root = await engine.chain.hooksRoot(vault.address as Address);
    const auth = checkAuthSigning(engine.manifest, record, root);
    // A proof that no longer checks out is the engine's to abort, with its own event.
    if (!auth.ok) return [signed];
    return [signed, { message_type: "INTENT_ACKED", payload: { root, hooks: auth.hooks } }];
  }

  async function decideOnce(
    intentId: string,
    decision: ApprovalDecision,
    member: Address,
    signature: Hex,
    caller: string,
  ) {
    const record = await getIntent(engine.db, intentId);
    if (record === null) return refuse(ErrorCode.INTENT_NOT_FOUND, `intent ${intentId} not found`);
    const authorization = await checked(record, decision, member, signature);
    const vault = engine.manifest.vaults.find((candidate) => candidate.vault_id === record.vault_id);
    if (decision === "reject") {
      const extra = { rejected_by: member, signature, canceled_by: caller };
      const event = terminalEvent("INTENT_CANCELED", "REJECTED_BY_QUORUM", `rejected by ${member}`, extra);
      return toIntent(await commit(engine, record, [event]));
    }
    const reading = vault === undefined ? null : await sizeAtHead(engine, record, vault);
    if (reading !== null && isBeyondTolerance(authorization, reading.size)) {
      const why = `size moved from ${authorization.size} to ${reading.size}`;
      await commit(engine, record, [approvalRequest(repended(authorization, reading), why)]);
      return refuse(ErrorCode.APPROVAL_SIZE_CHANGED, `${why}: the quorum is asked again at the new size; sign again`);
    }
    const signed: NewEvent = {
      message_type: "APPROVAL_SIGNED",
      payload: {
        member,
        signature,
        signed_at: engine.clock.now().toISOString(),
        size: authorization.size,
        size_block: authorization.size_block,
        policy_version: authorization.policy_version,
        submitted_by: caller,
      },
    };
    return toIntent(await commit(engine, record, await approvalEvents(record, authorization, signed)));
  }

  async function decide(
    intentId: string,
    decision: ApprovalDecision,
    member: string,
    signature: string,
    caller: string,
  ) {
    const signer = member.toLowerCase() as Address;
    const sig = signature.toLowerCase() as Hex;
    for (let attempt = 1; ; attempt++) {
      try {
        return await decideOnce(intentId, decision, signer, sig, caller);
      } catch (error) {
        // Someone appended meanwhile (another member, the engine): read again and re-check everything.
        if (!(error instanceof StaleIntentError) || attempt >= DECIDE_RETRIES) throw error;
      }
    }
  }

  return { policy, setPolicy, decide };
}
