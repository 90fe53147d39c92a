import type { FastifyRequest } from "fastify";
import { verifyTypedData } from "viem";
import { ErrorCode } from "../../../lib/defix/errors";
import { legacyStatus } from "../../../lib/defix/intents";
import { GetIntentStatusParams, JsonRpcErrorCode, ProposeIntentParams } from "../../../lib/defix/rpc";
import { proposeIntentTypedData, type RpcSigningDomain, rpcDomain } from "../../../lib/defix/rpc-typed-data";
import type { ApprovalService } from "../../core/approvals";
import { DomainError } from "../../kernel/errors";
import { grantFor, requireActor } from "../auth";
import { assertSizeExprParses } from "../intents-routes";
import type { IntentService } from "../ports";
import { decideIntent } from "./approval-methods";
import type { AuthorNonces } from "./author-nonces";
import { parseParams, RpcError, rpcErrorFromDomain } from "./params";
import { getRefinementStatus, requestRefinement } from "./refinement-methods";

export { RpcError, rpcErrorFromDomain };

export interface RpcDeps {
  intents: IntentService;
  /** Quorum decisions (`approveIntent`, `rejectIntent`); unset: those methods are unknown. */
  approvals?: ApprovalService;
  nonces: AuthorNonces;
  chainId: number;
  now?: () => number;
}

/** Longest accepted ttl, matching `ttl_seconds` of the REST submit. */
const MAX_TTL_SECONDS = 7 * 24 * 3600;

export type RpcMethod = (params: unknown, request: FastifyRequest, deps: RpcDeps) => Promise<unknown>;

export const rpcMethods: Record<string, RpcMethod> = {
  proposeIntent,
  getIntentStatus,
  getSigningDomain,
  requestRefinement,
  getRefinementStatus,
  approveIntent: (params, request, deps) => decideIntent("approve", params, request, deps),
  rejectIntent: (params, request, deps) => decideIntent("reject", params, request, deps),
};

const signingDomain = async (deps: RpcDeps): Promise<RpcSigningDomain> =>
  rpcDomain(deps.chainId, await deps.nonces.salt());

/** `getSigningDomain`: the EIP-712 domain `proposeIntent` signatures must be made for (this OMS's salt). */
async function getSigningDomain(params: unknown, request: FastifyRequest, deps: RpcDeps): Promise<unknown> {
  if (params !== undefined && !(Array.isArray(params) && params.length === 0)) {
    throw new RpcError(JsonRpcErrorCode.INVALID_PARAMS, "getSigningDomain takes no params", {
      code: ErrorCode.VALIDATION_FAILED,
    });
  }
  requireActor(request);
  return signingDomain(deps);
}

/**
 * `proposeIntent`: an intent signed by its author (EIP-712). Checked in the order that leaks least
 * and spends nothing on a bad request: shape, signature, ttl, the author's role, then the nonce.
 */
async function proposeIntent(params: unknown, request: FastifyRequest, deps: RpcDeps): Promise<unknown> {
  const { intent: payload, signature } = parseParams(ProposeIntentParams, params);
  try {
    assertSizeExprParses(payload.intent.action_config.size_expr);
  } catch (error) {
    if (error instanceof DomainError) throw rpcErrorFromDomain(error);
    throw error;
  }
  const typedData = proposeIntentTypedData(await signingDomain(deps), payload);
  const isValid = await verifyTypedData({ ...typedData, address: payload.author, signature }).catch(() => false);
  if (!isValid) {
    throw new RpcError(JsonRpcErrorCode.BAD_SIGNATURE, "The signature does not match the author", {
      code: ErrorCode.VALIDATION_FAILED,
    });
  }
  const nowSeconds = Math.floor((deps.now?.() ?? Date.now()) / 1000);
  if (payload.ttl <= nowSeconds) {
    throw new RpcError(JsonRpcErrorCode.INTENT_EXPIRED, "The intent's ttl has passed", {
      code: ErrorCode.DEADLINE_PASSED,
    });
  }
  if (payload.ttl > nowSeconds + MAX_TTL_SECONDS) {
    throw new RpcError(JsonRpcErrorCode.INVALID_PARAMS, "ttl may be at most 7 days ahead", {
      code: ErrorCode.VALIDATION_FAILED,
    });
  }
  await requireAuthorManager(request, payload.author, payload.intent.vault_id);
  await asRpcError(request.server.limiter.submit(request, payload.intent.vault_id));
  if (!(await deps.nonces.consume(payload.author, payload.nonce))) {
    throw new RpcError(JsonRpcErrorCode.NONCE_USED, "This author nonce was already used", { code: ErrorCode.CONFLICT });
  }
  const { ttl_seconds: _ttlSeconds, ...intent } = payload.intent;
  const deadline = new Date(payload.ttl * 1000).toISOString();
  const result = await deps.intents.submit({ ...intent, deadline }, { subject: payload.author, kind: "user" });
  await deps.nonces.recordIntent(payload.author, payload.nonce, result.intent.id);
  return { intent_id: result.intent.id, state: result.intent.state, created: result.created };
}

/** The author, not the bearer, is who the intent acts for: it must manage the vault. */
async function requireAuthorManager(request: FastifyRequest, author: string, vaultId: string): Promise<void> {
  const { directory } = request.server.access;
  if (!directory.vault(vaultId)) {
    throw new RpcError(JsonRpcErrorCode.INVALID_PARAMS, `Vault ${vaultId} is not known`, {
      code: ErrorCode.VAULT_NOT_FOUND,
    });
  }
  const grant = await grantFor(
    { subject: author, kind: "user", serviceVaults: [], tokenExpiresAt: null },
    vaultId,
    directory,
  );
  if (!grant || grant.role === "VIEW_ONLY") {
    throw new RpcError(JsonRpcErrorCode.FORBIDDEN, "The author is not a manager of the vault", {
      code: ErrorCode.FORBIDDEN,
    });
  }
}

/** `getIntentStatus`: one entry per id, in order; null for an id the caller cannot see. */
async function getIntentStatus(params: unknown, request: FastifyRequest, deps: RpcDeps): Promise<unknown> {
  const ids = parseParams(GetIntentStatusParams, params);
  const actor = requireActor(request);
  const { directory } = request.server.access;
  return Promise.all(
    ids.map(async (id) => {
      const intent = await deps.intents.get(id);
      if (!intent || !(await grantFor(actor, intent.vault_id, directory))) return null;
      return {
        intent_id: intent.id,
        state: intent.state,
        status: legacyStatus(intent.state),
        seq_num: intent.seq_num,
        updated_at: intent.updated_at,
        completed_at: intent.completed_at,
        tx_hash: intent.tx_hash,
        error: intent.error,
        approval_status: intent.approval_status,
        authorization: intent.authorization,
      };
    }),
  );
}

async function asRpcError(work: Promise<void>): Promise<void> {
  try {
    await work;
  } catch (error) {
    if (error instanceof DomainError) throw rpcErrorFromDomain(error);
    throw error;
  }
}
