import type { FastifyRequest } from "fastify";
import type { ApprovalDecision } from "../../../lib/defix/approvals";
import { ErrorCode } from "../../../lib/defix/errors";
import { DecideIntentParams, JsonRpcErrorCode } from "../../../lib/defix/rpc";
import { DomainError } from "../../kernel/errors";
import { decidableIntent } from "../approval-routes";
import { requireActor } from "../auth";
import type { RpcDeps } from "./methods";
import { parseParams, RpcError, rpcErrorFromDomain } from "./params";

/**
 * `approveIntent` / `rejectIntent` `{intent_id, member, signature}`: POST /defix/intents/{id}/approvals
 * (…/rejections) over JSON-RPC, with the same checks; returns the intent after the decision.
 */
export async function decideIntent(
  decision: ApprovalDecision,
  params: unknown,
  request: FastifyRequest,
  deps: RpcDeps,
): Promise<unknown> {
  const { intent_id, member, signature } = parseParams(DecideIntentParams, params);
  if (deps.approvals === undefined) {
    throw new RpcError(JsonRpcErrorCode.METHOD_NOT_FOUND, "approvals are not served here", {
      code: ErrorCode.NOT_FOUND,
    });
  }
  try {
    const intent = await decidableIntent(request, deps.intents, intent_id);
    return await deps.approvals.decide(intent.id, decision, member, signature, requireActor(request).subject);
  } catch (error) {
    if (error instanceof DomainError) throw rpcErrorFromDomain(error);
    throw error;
  }
}
