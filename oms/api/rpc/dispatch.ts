import type { FastifyRequest } from "fastify";
import { ErrorCode } from "../../../lib/defix/errors";
import { JsonRpcErrorCode, JsonRpcRequest } from "../../../lib/defix/rpc";
import { DomainError } from "../../kernel/errors";
import { parseJson } from "../../kernel/http";
import { type RpcDeps, RpcError, rpcErrorFromDomain, rpcMethods } from "./methods";

type RpcId = string | number | null;
export interface RpcResponse {
  jsonrpc: "2.0";
  id: RpcId;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

/** Bounds the work one HTTP request can cause. */
export const MAX_BATCH = 50;
/**
 * Work units one request may spend (see `costOf`), and wall time after which no further call of a
 * batch starts: calls past either answer -32005 and can be sent again in another request. Any single
 * call fits, so only batches are cut.
 */
export const WORK_BUDGET = 200;
export const TIME_BUDGET_MS = 5_000;

/**
 * A call's cost: a signed proposal verifies a signature, reads roles and writes (a refinement reads the
 * chain and writes); a status read, one row per id; a refinement status also reads the chain per id.
 */
function costOf(call: unknown): number {
  if (call === null || typeof call !== "object") return 1;
  const { method, params } = call as { method?: unknown; params?: unknown };
  if (method === "proposeIntent" || method === "requestRefinement") return 10;
  if (method === "approveIntent" || method === "rejectIntent") return 10;
  if (method === "getRefinementStatus" && Array.isArray(params)) return Math.max(1, 2 * params.length);
  if (method === "getIntentStatus" && Array.isArray(params)) return Math.max(1, params.length);
  return 1;
}

const failure = (id: RpcId, error: RpcError, requestId: string): RpcResponse => ({
  jsonrpc: "2.0",
  id,
  error: { code: error.code, message: error.message, data: { ...error.data, request_id: requestId } },
});

/**
 * Runs a JSON-RPC 2.0 body. Returns the single response, the batch's responses, or null when
 * every call was a notification (no id) and nothing is owed.
 */
export async function dispatchRpc(
  raw: unknown,
  request: FastifyRequest,
  deps: RpcDeps,
): Promise<RpcResponse | RpcResponse[] | null> {
  let body: unknown;
  try {
    body = parseJson(typeof raw === "string" ? raw : "");
  } catch {
    return failure(null, new RpcError(JsonRpcErrorCode.PARSE_ERROR, "Parse error: the body is not JSON"), request.id);
  }
  if (!Array.isArray(body)) return runOne(body, request, deps);
  if (body.length === 0 || body.length > MAX_BATCH) {
    const message = body.length === 0 ? "Empty batch" : `Batches hold at most ${MAX_BATCH} calls`;
    return failure(null, new RpcError(JsonRpcErrorCode.INVALID_REQUEST, message), request.id);
  }
  const responses: RpcResponse[] = [];
  const startedAt = Date.now();
  let spent = 0;
  // Sequential on purpose: calls in one batch may depend on each other's side effects (nonces).
  for (const call of body) {
    spent += costOf(call);
    const isOverBudget = spent > WORK_BUDGET || Date.now() - startedAt > TIME_BUDGET_MS;
    const response = isOverBudget ? overBudget(call, request.id) : await runOne(call, request, deps);
    if (response) responses.push(response);
  }
  return responses.length > 0 ? responses : null;
}

function overBudget(call: unknown, requestId: string): RpcResponse | null {
  if (call !== null && typeof call === "object" && !("id" in call)) return null;
  const error = new RpcError(
    JsonRpcErrorCode.LIMIT_EXCEEDED,
    "This batch does more work than one request may; send the remaining calls in another request",
    {
      code: ErrorCode.RATE_LIMITED,
      details: { scope: "rpc_batch", limit: WORK_BUDGET, time_budget_ms: TIME_BUDGET_MS },
    },
  );
  return failure(idOf(call), error, requestId);
}

async function runOne(call: unknown, request: FastifyRequest, deps: RpcDeps): Promise<RpcResponse | null> {
  const parsed = JsonRpcRequest.safeParse(call);
  if (!parsed.success) {
    return failure(
      idOf(call),
      new RpcError(JsonRpcErrorCode.INVALID_REQUEST, "Invalid JSON-RPC 2.0 request"),
      request.id,
    );
  }
  const { id, method, params } = parsed.data;
  const isNotification = id === undefined;
  const handler = Object.hasOwn(rpcMethods, method) ? rpcMethods[method] : undefined;
  try {
    if (!handler) throw new RpcError(JsonRpcErrorCode.METHOD_NOT_FOUND, `Method ${method} does not exist`);
    const result = await handler(params, request, deps);
    return isNotification ? null : { jsonrpc: "2.0", id, result };
  } catch (error) {
    if (isNotification) {
      request.log.info({ method, err: error }, "json-rpc notification failed");
      return null;
    }
    return failure(id ?? null, toRpcError(error, request), request.id);
  }
}

function toRpcError(error: unknown, request: FastifyRequest): RpcError {
  if (error instanceof RpcError) return error;
  if (error instanceof DomainError) {
    if (error.status >= 500) request.log.error({ err: error }, "json-rpc call failed");
    return rpcErrorFromDomain(error);
  }
  request.log.error({ err: error }, "json-rpc call failed unexpectedly");
  return new RpcError(JsonRpcErrorCode.INTERNAL_ERROR, "Internal error; the request id identifies it in the logs", {
    code: ErrorCode.INTERNAL,
  });
}

function idOf(call: unknown): RpcId {
  if (call === null || typeof call !== "object" || !("id" in call)) return null;
  const { id } = call;
  return typeof id === "string" || typeof id === "number" ? id : null;
}

/**
 * HTTP status for a single (non-batch) response: a request that is malformed or refused is a 4xx
 * so proxies and scripts see the failure; batches are always 200 (their entries differ).
 */
export function httpStatusFor(response: RpcResponse): number {
  const code = response.error?.code;
  if (code === undefined) return 200;
  if (code === JsonRpcErrorCode.UNAUTHORIZED) return 401;
  if (code === JsonRpcErrorCode.FORBIDDEN) return 403;
  if (code === JsonRpcErrorCode.METHOD_NOT_FOUND) return 404;
  if (code === JsonRpcErrorCode.NONCE_USED) return 409;
  if (code === JsonRpcErrorCode.LIMIT_EXCEEDED) return 429;
  if (code === JsonRpcErrorCode.INTERNAL_ERROR) return 500;
  return 400;
}
