import { z } from "zod";
import { JsonRpcErrorCode, JsonRpcRequest } from "../../../lib/defix/rpc";
import { defineRoute } from "../../kernel/route";
import { dispatchRpc, httpStatusFor, type RpcResponse } from "./dispatch";
import type { RpcDeps } from "./methods";

const RpcResponseSchema = z.object({
  jsonrpc: z.literal("2.0"),
  id: z.union([z.string(), z.number(), z.null()]),
  result: z.unknown().optional(),
  error: z.object({ code: z.number().int(), message: z.string(), data: z.unknown().optional() }).optional(),
});

function retryAfterOf(response: RpcResponse): number | undefined {
  const parsed = z
    .object({ details: z.object({ retry_after_s: z.number() }) })
    .safeParse(response.error?.code === JsonRpcErrorCode.LIMIT_EXCEEDED ? response.error.data : undefined);
  return parsed.success ? parsed.data.details.retry_after_s : undefined;
}

export function rpcRoutes(deps: RpcDeps) {
  return [
    // POST /rpc – JSON-RPC 2.0: proposeIntent (EIP-712 signed), getIntentStatus, getSigningDomain, requestRefinement, getRefinementStatus
    defineRoute({
      method: "POST",
      url: "/rpc",
      operationId: "jsonRpc",
      summary: "JSON-RPC 2.0 transport",
      description:
        "Methods: `proposeIntent` `{ intent: { author, nonce, ttl, intent: SubmitIntentRequest }, signature }` where signature is the author's EIP-712 signature over lib/defix/rpc-typed-data.ts (domain `DeFiX OMS`/`1`/chainId/salt: the salt binds it to this OMS, get the domain from `getSigningDomain`); each (author, nonce) is accepted once; ttl (unix seconds) becomes the deadline; the author must manage the vault. `getIntentStatus` `[intent_id…]` → one status (or null) per id. `getSigningDomain` (no params) → the EIP-712 domain to sign `proposeIntent` for. `requestRefinement` `{ intent: SubmitIntentRequest }` → a Refinement (as POST /defix/intents/refine: planned at the head block, nothing stored as an intent, nothing signed; the bearer must manage the vault). `getRefinementStatus` `[refinement_id…]` (≤ 20) → one RefinementStatus (or null) per id, with its freshness at the head. `approveIntent` / `rejectIntent` `{ intent_id, member, signature }` → the intent after a quorum member's signed decision (as POST /defix/intents/{id}/approvals and …/rejections; `getIntentStatus` shows `approval_status` and `authorization`). Errors: -32700 parse, -32600 invalid request, -32601 unknown method, -32602 invalid params, -32001/-32003 auth, -32010 nonce used, -32011 expired, -32012 bad signature, -32005 limit exceeded (the vault's submit limit, or a batch past its work budget: at most 50 calls and 200 work units, a proposal, refinement or decision costing 10, a status read 1 per id and a refinement status 2 per id; the calls past it answer -32005 and may be sent again); `error.data.code` holds the DeFiX code. A single failed call answers with a 4xx status, a batch with 200.",
      tag: "JSON-RPC",
      isJsonRpc: true,
      rawBodyDoc: z.union([JsonRpcRequest, z.array(JsonRpcRequest)]),
      responses: {
        200: { description: "Result(s)", schema: z.union([RpcResponseSchema, z.array(RpcResponseSchema)]) },
        204: { description: "Only notifications were sent; nothing is owed" },
        400: { description: "A single call failed: parse error, invalid request or params", schema: RpcResponseSchema },
        403: { description: "The author does not manage the vault (-32003)", schema: RpcResponseSchema },
        404: { description: "Unknown method (-32601)", schema: RpcResponseSchema },
        409: { description: "The author nonce was already used (-32010)", schema: RpcResponseSchema },
        429: { description: "The vault's submit limit was reached (-32005)", schema: RpcResponseSchema },
      },
      async handler({ request, reply, body }) {
        const response = await dispatchRpc(body, request, deps);
        if (response === null) return { status: 204, body: undefined };
        if (Array.isArray(response)) return { status: 200, body: response };
        const retryAfter = retryAfterOf(response);
        if (retryAfter !== undefined) reply.header("retry-after", String(retryAfter));
        return { status: httpStatusFor(response), body: response };
      },
    }),
  ];
}
