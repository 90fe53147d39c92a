import type { FastifyRequest } from "fastify";
import { z } from "zod";
import {
  type ApprovalDecision,
  ApprovalDecisionRequest,
  ApprovalPolicyState,
  PutApprovalPolicyRequest,
} from "../../lib/defix/approvals";
import { IntentId, VaultId } from "../../lib/defix/common";
import { ErrorCode } from "../../lib/defix/errors";
import { Intent } from "../../lib/defix/intents";
import type { ApprovalService } from "../core/approvals";
import { DomainError } from "../kernel/errors";
import { defineRoute } from "../kernel/route";
import { grantFor, requireActor, requireVaultRole } from "./auth";
import type { IntentService } from "./ports";

const TAG = "Approvals";

/**
 * The intent's vault, for a person who holds a role on it or is a member of its quorum (a member need not
 * manage the vault: a named address, a contract wallet's owner posts for it). Service tokens never decide.
 */
export async function decidableIntent(request: FastifyRequest, intents: IntentService, id: string) {
  const actor = requireActor(request);
  if (actor.kind !== "user") throw new DomainError(ErrorCode.FORBIDDEN, "Only people approve or reject intents");
  const intent = await intents.get(id);
  const isMember = intent?.authorization?.members.some((seat) => seat.address === actor.subject) ?? false;
  const grant = intent ? await grantFor(actor, intent.vault_id, request.server.access.directory) : null;
  if (!intent || (!grant && !isMember)) throw new DomainError(ErrorCode.INTENT_NOT_FOUND, `Intent ${id} was not found`);
  return intent;
}

function decisionRoute(decision: ApprovalDecision, deps: { intents: IntentService; approvals: ApprovalService }) {
  const isApprove = decision === "approve";
  return defineRoute({
    method: "POST",
    url: `/defix/intents/:id/${isApprove ? "approvals" : "rejections"}`,
    operationId: isApprove ? "approveIntent" : "rejectIntent",
    summary: isApprove ? "Approve a pending intent (a quorum member's signature)" : "Reject a pending intent",
    description: isApprove
      ? "`signature` is the member's EIP-712 `IntentDecision` (decision `approve`) over the intent's id, vault, action, the quorum's `size` and `size_block`, config hash and policy version (`lib/defix/approvals.ts`), verified for EOAs and contract wallets (ERC-1271). Records an APPROVAL_SIGNED event; the approval that meets the threshold moves the intent on in the same transaction. 409 APPROVAL_NOT_PENDING, APPROVAL_ALREADY_SIGNED, APPROVAL_SIZE_CHANGED (re-pended at the new size); 403 NOT_APPROVAL_MEMBER; 400 APPROVAL_SIGNATURE_INVALID."
      : "Same signature with decision `reject`: the intent ends CANCELED with REJECTED_BY_QUORUM.",
    tag: TAG,
    params: z.strictObject({ id: IntentId }),
    body: ApprovalDecisionRequest,
    responses: { 200: { description: "The intent after the decision", schema: Intent } },
    errors: [400, 403, 404, 409],
    async handler({ request, params, body }) {
      const intent = await decidableIntent(request, deps.intents, params.id);
      const actor = requireActor(request);
      return {
        status: 200,
        body: await deps.approvals.decide(intent.id, decision, body.member, body.signature, actor.subject),
      };
    },
  });
}

export function approvalRoutes(deps: { intents: IntentService; approvals: ApprovalService }) {
  return [
    // GET /defix/vaults/:vaultId/approval-policy – the policy in force and its version history
    defineRoute({
      method: "GET",
      url: "/defix/vaults/:vaultId/approval-policy",
      operationId: "getApprovalPolicy",
      summary: "Get the vault's approval policy and its versions",
      description:
        "The policy in force (`policy: null` = none: intents run without approval), its version, the chain head `head_hash` the next version must name, and every version newest first (who signed, when, the signature, the chained hash). VIEW_ONLY and up.",
      tag: TAG,
      params: z.strictObject({ vaultId: VaultId }),
      responses: { 200: { description: "The policy state", schema: ApprovalPolicyState } },
      errors: [403, 404],
      async handler({ request, params }) {
        const grant = await requireVaultRole(request, params.vaultId, "VIEW_ONLY");
        return { status: 200, body: await deps.approvals.policy(grant.vault_id) };
      },
    }),
    // PUT /defix/vaults/:vaultId/approval-policy – the primary manager's signed new version
    defineRoute({
      method: "PUT",
      url: "/defix/vaults/:vaultId/approval-policy",
      operationId: "putApprovalPolicy",
      summary: "Set (or remove, `policy: null`) the vault's approval policy",
      description:
        "Only the primary manager, signing EIP-712 `SetApprovalPolicy{vaultId, version, previousHash, policyHash}` in the wallet (`approvalPolicyTypedData`). `version` must be the current version + 1 and `previousHash` the current `head_hash` (409 VERSION_CONFLICT otherwise), so a signature is used once. 400 APPROVAL_POLICY_INVALID when the threshold exceeds today's members. Intents are judged by the version in force when they were received.",
      tag: TAG,
      params: z.strictObject({ vaultId: VaultId }),
      body: PutApprovalPolicyRequest,
      responses: { 200: { description: "The policy state after the change", schema: ApprovalPolicyState } },
      errors: [400, 403, 404, 409],
      async handler({ request, params, body }) {
        const grant = await requireVaultRole(request, params.vaultId, "PRIMARY_MANAGER");
        const actor = requireActor(request);
        return { status: 200, body: await deps.approvals.setPolicy(grant.vault_id, body, actor.subject) };
      },
    }),
    // POST /defix/intents/:id/approvals – a member's signed approval
    decisionRoute("approve", deps),
    // POST /defix/intents/:id/rejections – a member's signed rejection
    decisionRoute("reject", deps),
  ];
}
