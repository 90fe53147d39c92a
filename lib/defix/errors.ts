/**
 * Machine-readable error codes shared by the OMS, the BFF and the UI. An intent's `error.code`
 * and an HTTP error body's `error.code` both come from this list.
 */
export const ErrorCode = {
  // request errors
  BAD_REQUEST: "BAD_REQUEST",
  INVALID_JSON: "INVALID_JSON",
  VALIDATION_FAILED: "VALIDATION_FAILED",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  UNSUPPORTED_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  NOT_FOUND: "NOT_FOUND",
  VAULT_NOT_FOUND: "VAULT_NOT_FOUND",
  INTENT_NOT_FOUND: "INTENT_NOT_FOUND",
  CONFLICT: "CONFLICT",
  INTENT_TERMINAL: "INTENT_TERMINAL",
  INTENT_EXECUTING: "INTENT_EXECUTING",
  /** The vault's events no longer give the root its signed audit checkpoint holds (changed or deleted since). */
  AUDIT_CHECKPOINT_MISMATCH: "AUDIT_CHECKPOINT_MISMATCH",
  /** Too many requests from this identity/IP/vault in the window; `Retry-After` says when to try again. */
  RATE_LIMITED: "RATE_LIMITED",
  /** This identity already holds the maximum number of open live streams. */
  TOO_MANY_STREAMS: "TOO_MANY_STREAMS",
  /** The vault already has the maximum number of non-terminal intents. */
  TOO_MANY_IN_FLIGHT: "TOO_MANY_IN_FLIGHT",
  /** `deadline` / `ttl_seconds` further in the future than the OMS accepts. */
  DEADLINE_TOO_FAR: "DEADLINE_TOO_FAR",
  /** `max_slippage_bps` above the OMS's bound. */
  SLIPPAGE_TOO_HIGH: "SLIPPAGE_TOO_HIGH",
  // auth
  UNAUTHENTICATED: "UNAUTHENTICATED",
  TOKEN_EXPIRED: "TOKEN_EXPIRED",
  TOKEN_INVALID: "TOKEN_INVALID",
  FORBIDDEN: "FORBIDDEN",
  NOT_PRIMARY_MANAGER: "NOT_PRIMARY_MANAGER",
  CSRF_REJECTED: "CSRF_REJECTED",
  // intent execution outcomes
  ACCOUNT_MODE_UNSUPPORTED: "ACCOUNT_MODE_UNSUPPORTED",
  /** The intent's `account_mode` is not one of its vault's `supported_modes` (manifest, `GET /defix/vaults`). */
  ACCOUNT_MODE_NOT_SUPPORTED_BY_VAULT: "ACCOUNT_MODE_NOT_SUPPORTED_BY_VAULT",
  /** EIP7702: the strategy EOA must delegate to the account implementation before keys can be granted on it. */
  DELEGATION_MISSING: "DELEGATION_MISSING",
  MERKLE_PROOF_INVALID: "MERKLE_PROOF_INVALID",
  MERKLE_ROOT_MISMATCH: "MERKLE_ROOT_MISMATCH",
  SESSION_KEY_NOT_READY: "SESSION_KEY_NOT_READY",
  SIZE_EXPR_INVALID: "SIZE_EXPR_INVALID",
  INSUFFICIENT_FREE_ASSETS: "INSUFFICIENT_FREE_ASSETS",
  SIMULATION_REVERTED: "SIMULATION_REVERTED",
  SLIPPAGE: "SLIPPAGE",
  EXECUTION_REVERTED: "EXECUTION_REVERTED",
  /** EIP4337 modes: the bundler refused the user operation (validation); the AA code is in the message. */
  USER_OP_REJECTED: "USER_OP_REJECTED",
  /**
   * EIP4337 modes: the bundler dropped the user operation and every resend went unincluded until the
   * deadline; its nonce was never used, so nothing executed.
   */
  USER_OP_DROPPED: "USER_OP_DROPPED",
  DEADLINE_PASSED: "DEADLINE_PASSED",
  /** The fee the transaction would need is above the OMS's absolute per-transaction cap; the intent waits. */
  FEE_CAP_EXCEEDED: "FEE_CAP_EXCEEDED",
  /** A hook's on-chain budget (per strategy and period) has no room for the execution; the intent waits. */
  BUDGET_EXHAUSTED: "BUDGET_EXHAUSTED",
  /** The vault's automation is paused on-chain; the intent waits for the primary manager's unpause. */
  PAUSED: "PAUSED",
  CANCELED_BY_USER: "CANCELED_BY_USER",
  // session keys
  INVALID_EXPIRY: "INVALID_EXPIRY",
  NO_PENDING_ROTATION: "NO_PENDING_ROTATION",
  ROTATION_PENDING: "ROTATION_PENDING",
  ROTATION_NOT_ON_CHAIN: "ROTATION_NOT_ON_CHAIN",
  ROTATION_ALREADY_ON_CHAIN: "ROTATION_ALREADY_ON_CHAIN",
  NO_SESSION_KEY: "NO_SESSION_KEY",
  /** The prepared transaction does not decode to the expected executor call for this vault (refused before the wallet). */
  PREPARED_TX_REJECTED: "PREPARED_TX_REJECTED",
  // webhooks
  WEBHOOK_NOT_FOUND: "WEBHOOK_NOT_FOUND",
  WEBHOOK_DELIVERY_NOT_FOUND: "WEBHOOK_DELIVERY_NOT_FOUND",
  /** The URL is not an absolute http(s) URL, carries credentials, or is too long. */
  WEBHOOK_URL_INVALID: "WEBHOOK_URL_INVALID",
  /** http:// where https:// is required (only the dev allowance accepts plain http). */
  WEBHOOK_URL_INSECURE: "WEBHOOK_URL_INSECURE",
  /** The host is, or resolves to, a private, loopback, link-local or otherwise internal address (SSRF). */
  WEBHOOK_TARGET_FORBIDDEN: "WEBHOOK_TARGET_FORBIDDEN",
  /** The host does not resolve. */
  WEBHOOK_TARGET_UNRESOLVABLE: "WEBHOOK_TARGET_UNRESOLVABLE",
  /** The vault already has the maximum number of endpoints. */
  WEBHOOK_LIMIT_REACHED: "WEBHOOK_LIMIT_REACHED",
  /** The endpoint is disabled: enable it before sending a test or a redelivery. */
  WEBHOOK_DISABLED: "WEBHOOK_DISABLED",
  /** The delivery is still pending (or too many tests are): wait for it. */
  WEBHOOK_DELIVERY_PENDING: "WEBHOOK_DELIVERY_PENDING",
  // refinements
  REFINEMENT_NOT_FOUND: "REFINEMENT_NOT_FOUND",
  /** The vault's state changed beyond the tolerance since the refinement (or it expired): refine again. */
  REFINEMENT_STALE: "REFINEMENT_STALE",
  /** The caller already holds the maximum number of unexpired refinements. */
  TOO_MANY_REFINEMENTS: "TOO_MANY_REFINEMENTS",
  // approvals (issue 15)
  /** Outcome: a quorum member rejected the intent (it ends CANCELED). */
  REJECTED_BY_QUORUM: "REJECTED_BY_QUORUM",
  /** Outcome: the deadline passed before the quorum approved (it ends EXPIRED). */
  APPROVAL_TIMEOUT: "APPROVAL_TIMEOUT",
  /** The intent is not waiting for approvals (never needed them, approved already, or ended). */
  APPROVAL_NOT_PENDING: "APPROVAL_NOT_PENDING",
  /** The signer is not a member of the intent's quorum (or no longer a manager of the vault). */
  NOT_APPROVAL_MEMBER: "NOT_APPROVAL_MEMBER",
  /** This member has already signed this intent (a replayed or repeated signature). */
  APPROVAL_ALREADY_SIGNED: "APPROVAL_ALREADY_SIGNED",
  /** The signature does not verify for this member over this intent's facts (EOA or ERC-1271). */
  APPROVAL_SIGNATURE_INVALID: "APPROVAL_SIGNATURE_INVALID",
  /** The size moved beyond the policy's tolerance since the quorum was asked: the intent waits again at the new size. */
  APPROVAL_SIZE_CHANGED: "APPROVAL_SIZE_CHANGED",
  /** The policy cannot be satisfied or is malformed (e.g. a threshold above the number of members). */
  APPROVAL_POLICY_INVALID: "APPROVAL_POLICY_INVALID",
  // strategies
  VERSION_CONFLICT: "VERSION_CONFLICT",
  STRATEGY_NOT_FOUND: "STRATEGY_NOT_FOUND",
  // infrastructure
  UPSTREAM_UNAVAILABLE: "UPSTREAM_UNAVAILABLE",
  UPSTREAM_TIMEOUT: "UPSTREAM_TIMEOUT",
  /** The upstream (OMS, runner) answered a body that does not match the contract; the BFF does not pass it on. */
  UPSTREAM_INVALID: "UPSTREAM_INVALID",
  CHAIN_UNAVAILABLE: "CHAIN_UNAVAILABLE",
  /** The OMS lost its database connection (restart, failover, killed session); retry shortly. */
  STORE_UNAVAILABLE: "STORE_UNAVAILABLE",
  INTERNAL: "INTERNAL",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
