import type { FastifyRequest } from "fastify";
import { GetRefinementStatusParams, RequestRefinementParams } from "../../../lib/defix/refinements";
import { DomainError } from "../../kernel/errors";
import { grantFor, requireActor, requireVaultRole } from "../auth";
import { assertSizeExprParses, serviceActor } from "../intents-routes";
import type { RpcDeps } from "./methods";
import { parseParams, rpcErrorFromDomain } from "./params";

/**
 * `requestRefinement` `{intent: SubmitIntentRequest}`: the REST refine (POST /defix/intents/refine) over
 * JSON-RPC; the bearer must manage the vault. Returns the refinement (`refinement_id`, plan, error…).
 */
export async function requestRefinement(params: unknown, request: FastifyRequest, deps: RpcDeps): Promise<unknown> {
  const { intent } = parseParams(RequestRefinementParams, params);
  try {
    assertSizeExprParses(intent.action_config.size_expr);
    await requireVaultRole(request, intent.vault_id, "SECONDARY_MANAGER");
    await request.server.limiter.submit(request, intent.vault_id);
    return await deps.intents.refine(intent, serviceActor(request));
  } catch (error) {
    if (error instanceof DomainError) throw rpcErrorFromDomain(error);
    throw error;
  }
}

/** `getRefinementStatus` `[refinement_id…]`: one refinement with its freshness (or null) per id. */
export async function getRefinementStatus(params: unknown, request: FastifyRequest, deps: RpcDeps): Promise<unknown> {
  const ids = parseParams(GetRefinementStatusParams, params);
  const actor = requireActor(request);
  const { directory } = request.server.access;
  const statuses = [];
  // One at a time: each reads the chain at the head.
  for (const id of ids) {
    const refinement = await deps.intents.refinement(id);
    const isVisible = refinement !== null && (await grantFor(actor, refinement.vault_id, directory)) !== null;
    statuses.push(isVisible ? refinement : null);
  }
  return statuses;
}
