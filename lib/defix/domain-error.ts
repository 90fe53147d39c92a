import { ErrorCode } from "./errors";

/**
 * The HTTP status every code answers with, in one table, so a throw names only its code. Execution
 * outcomes (recorded on an intent, not answered to a request) get 422 should one ever reach a response.
 */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  INVALID_JSON: 400,
  VALIDATION_FAILED: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  NOT_FOUND: 404,
  VAULT_NOT_FOUND: 404,
  INTENT_NOT_FOUND: 404,
  CONFLICT: 409,
  INTENT_TERMINAL: 409,
  INTENT_EXECUTING: 409,
  RATE_LIMITED: 429,
  TOO_MANY_STREAMS: 429,
  // 429, not 409: nothing conflicts, the vault is busy and the same request succeeds later.
  TOO_MANY_IN_FLIGHT: 429,
  DEADLINE_TOO_FAR: 400,
  SLIPPAGE_TOO_HIGH: 400,
  UNAUTHENTICATED: 401,
  TOKEN_EXPIRED: 401,
  TOKEN_INVALID: 401,
  FORBIDDEN: 403,
  NOT_PRIMARY_MANAGER: 403,
  CSRF_REJECTED: 403,
  ACCOUNT_MODE_UNSUPPORTED: 400,
  MERKLE_PROOF_INVALID: 422,
  MERKLE_ROOT_MISMATCH: 422,
  SESSION_KEY_NOT_READY: 409,
  SIZE_EXPR_INVALID: 400,
  INSUFFICIENT_FREE_ASSETS: 422,
  SIMULATION_REVERTED: 422,
  SLIPPAGE: 422,
  EXECUTION_REVERTED: 422,
  DEADLINE_PASSED: 422,
  FEE_CAP_EXCEEDED: 422,
  BUDGET_EXHAUSTED: 422,
  PAUSED: 409,
  CANCELED_BY_USER: 409,
  INVALID_EXPIRY: 400,
  NO_PENDING_ROTATION: 409,
  ROTATION_PENDING: 409,
  ROTATION_NOT_ON_CHAIN: 409,
  ROTATION_ALREADY_ON_CHAIN: 409,
  NO_SESSION_KEY: 409,
  PREPARED_TX_REJECTED: 422,
  WEBHOOK_NOT_FOUND: 404,
  WEBHOOK_DELIVERY_NOT_FOUND: 404,
  WEBHOOK_URL_INVALID: 400,
  WEBHOOK_URL_INSECURE: 400,
  WEBHOOK_TARGET_FORBIDDEN: 422,
  WEBHOOK_TARGET_UNRESOLVABLE: 422,
  WEBHOOK_LIMIT_REACHED: 409,
  WEBHOOK_DISABLED: 409,
  WEBHOOK_DELIVERY_PENDING: 409,
  REFINEMENT_NOT_FOUND: 404,
  REFINEMENT_STALE: 409,
  TOO_MANY_REFINEMENTS: 429,
  VERSION_CONFLICT: 409,
  STRATEGY_NOT_FOUND: 404,
  UPSTREAM_UNAVAILABLE: 503,
  UPSTREAM_TIMEOUT: 504,
  CHAIN_UNAVAILABLE: 503,
  STORE_UNAVAILABLE: 503,
  INTERNAL: 500,
};

/**
 * A refusal a caller can act on: answered as `{ error: { code, message, details } }` with the code's
 * status from `ERROR_STATUS`. Shared by both services and the role directory in `lib/roles`.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "DomainError";
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export { ErrorCode };
