import { z } from "zod";
import { Address, Hex } from "./common";
import { SubmitIntentRequest } from "./intents";

export const JsonRpcRequest = z.object({
  jsonrpc: z.literal("2.0"),
  id: z.union([z.string(), z.number(), z.null()]).optional(),
  method: z.string(),
  params: z.unknown().optional(),
});

export const JsonRpcErrorCode = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  UNAUTHORIZED: -32001,
  FORBIDDEN: -32003,
  /** EIP-1474 "limit exceeded": a rate limit, or a batch's work budget (`error.data.code` RATE_LIMITED). */
  LIMIT_EXCEEDED: -32005,
  NONCE_USED: -32010,
  INTENT_EXPIRED: -32011,
  BAD_SIGNATURE: -32012,
} as const;

/** The intent an author signs (EIP-712) for `proposeIntent`. */
export const SignedIntentPayload = z.strictObject({
  author: Address,
  nonce: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  /** Unix seconds after which the intent expires. */
  ttl: z.number().int().min(0),
  intent: SubmitIntentRequest,
});

export const ProposeIntentParams = z.strictObject({ intent: SignedIntentPayload, signature: Hex });
/** `approveIntent` / `rejectIntent`: a quorum member's EIP-712 `IntentDecision` (`lib/defix/approvals.ts`). */
export const DecideIntentParams = z.strictObject({
  intent_id: z.string().uuid(),
  member: Address,
  signature: Hex.refine((hex) => hex.length <= 2 + 2 * 4096, "signature too long"),
});
export const GetIntentStatusParams = z.array(z.string().uuid()).min(1).max(100);
