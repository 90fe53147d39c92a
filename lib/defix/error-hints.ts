import { ErrorCode } from "./errors";
import { type ErrorHint, STORE_UNAVAILABLE_HINT } from "./store-hint";

export type { ErrorHint };

const HINTS: Partial<Record<string, ErrorHint>> = {
  [ErrorCode.SESSION_KEY_NOT_READY]: {
    title: "No valid session key",
    hint: "The vault has no usable session key (missing, expired, revoked or mid-rotation). Grant or renew it on the vault's canvas; automation resumes once the key is on chain.",
    action: "canvas",
  },
  [ErrorCode.NO_SESSION_KEY]: {
    title: "No session key",
    hint: "Nothing has been granted for this vault yet. Open the canvas and grant a session key with the primary manager's wallet.",
    action: "canvas",
  },
  [ErrorCode.MERKLE_PROOF_INVALID]: {
    title: "Hook not in the merkle root",
    hint: "The hook and its arguments are not a leaf of the vault's published hooks tree, or the proof is stale. Check the strategy uses a hook from the published merkle artifact.",
    action: "none",
  },
  [ErrorCode.MERKLE_ROOT_MISMATCH]: {
    title: "Merkle root changed",
    hint: "The root the intent was signed against differs from the vault's on-chain root (a new root may have been executed after the timelock). Strategies must publish intents with the current root.",
    action: "none",
  },
  [ErrorCode.SIMULATION_REVERTED]: {
    title: "Simulation reverted",
    hint: "A dry run of the transaction failed before anything was sent, so no gas was spent. Usual causes: not enough free assets, a paused yield source, or a size that no longer fits.",
    action: "none",
  },
  [ErrorCode.SLIPPAGE]: {
    title: "Slippage limit exceeded",
    hint: "The output would have been below the minimum allowed by max_slippage_bps. Check the yield source's share price, or allow more slippage in the strategy.",
    action: "none",
  },
  [ErrorCode.INSUFFICIENT_FREE_ASSETS]: {
    title: "Not enough free assets",
    hint: "The vault's idle balance is smaller than the intent's size. Wait for deposits, withdraw from a yield source first, or size the strategy as a fraction of vault_free_assets.",
    action: "none",
  },
  [ErrorCode.SIZE_EXPR_INVALID]: {
    title: "Size expression invalid",
    hint: "size_expr could not be evaluated (unknown identifier, division by zero or a non-positive result). Fix the expression in the strategy.",
    action: "none",
  },
  [ErrorCode.WEBHOOK_TARGET_FORBIDDEN]: {
    title: "Internal address refused",
    hint: "Webhooks are delivered only to public internet addresses: this host is (or resolves to) a private, loopback, link-local or otherwise internal one. Use a public HTTPS URL; for a receiver on your own machine in development, start the OMS with WEBHOOK_ALLOW_PRIVATE_TARGETS=1 (npm start does).",
    action: "none",
  },
  [ErrorCode.WEBHOOK_URL_INSECURE]: {
    title: "HTTPS required",
    hint: "Deliveries carry signed data, so endpoints must use https://. Plain http:// is accepted only by a development OMS (WEBHOOK_ALLOW_PRIVATE_TARGETS=1).",
    action: "none",
  },
  [ErrorCode.WEBHOOK_DISABLED]: {
    title: "Endpoint disabled",
    hint: "The endpoint is disabled, by hand or after sustained delivery failure. Fix the receiver, then enable it again; pending deliveries resume.",
    action: "none",
  },
  [ErrorCode.EXECUTION_REVERTED]: {
    title: "Transaction reverted on chain",
    hint: "The transaction was mined but reverted; gas was spent. The revert reason in the event timeline says which check failed.",
    action: "none",
  },
  [ErrorCode.USER_OP_REJECTED]: {
    title: "User operation refused by the bundler",
    hint: "The bundler refused the account's user operation before it reached the chain; nothing was spent. The AA code in the message says which check failed: AA21/AA31 the account's EntryPoint deposit cannot pay (top it up), AA24 the session key is not valid on the account (expired, revoked, rotated or the granting manager changed: grant a new key on the canvas), AA25 the nonce was already used.",
    action: "canvas",
  },
  [ErrorCode.USER_OP_DROPPED]: {
    title: "User operation never included",
    hint: "The bundler dropped the account's user operation and the resends (same nonce key, higher fees) were not included before the intent's deadline. Its EntryPoint nonce is still unused, so nothing executed and nothing was spent. Check that the bundler (BUNDLER_URL) is up and bundling; the strategy publishes a fresh intent on its next tick.",
    action: "none",
  },
  [ErrorCode.DEADLINE_PASSED]: {
    title: "Deadline passed",
    hint: "The intent was not executed before its deadline, often because it waited for a session key. The strategy publishes a fresh intent on its next tick.",
    action: "canvas",
  },
  [ErrorCode.ACCOUNT_MODE_UNSUPPORTED]: {
    title: "Account mode not available",
    hint: "This deployment cannot execute the requested account mode. Use the OMS mode, or enable the mode on the OMS.",
    action: "none",
  },
  [ErrorCode.ACCOUNT_MODE_NOT_SUPPORTED_BY_VAULT]: {
    title: "Account mode not supported by this vault",
    hint: "Each vault runs in one account mode (OMS, EIP4337, EIP4337_COMPANION or EIP7702), shown on its card and in GET /defix/vaults. Submit the intent with the vault's mode.",
    action: "none",
  },
  [ErrorCode.DELEGATION_MISSING]: {
    title: "EIP-7702 delegation missing",
    hint: "The vault's strategy EOA does not delegate to the account implementation. Sign the EIP-7702 authorization with that wallet in the session-key gate, then grant the key.",
    action: "canvas",
  },
  [ErrorCode.CANCELED_BY_USER]: {
    title: "Canceled by a manager",
    hint: "A manager canceled this intent before it executed. Nothing was sent on chain.",
    action: "none",
  },
  [ErrorCode.REFINEMENT_STALE]: {
    title: "Plan out of date",
    hint: "The vault's state moved beyond the refinement's tolerance since it was planned (or the refinement expired). Refine again and submit with the new refinement.",
    action: "retry",
  },
  [ErrorCode.CHAIN_UNAVAILABLE]: {
    title: "Chain unreachable",
    hint: "The OMS could not reach the chain's RPC endpoint. It retries on its own; check the node if this persists.",
    action: "retry",
  },
  [ErrorCode.INTENT_TERMINAL]: {
    title: "Already finished",
    hint: "The intent reached a final state before the cancel arrived; final states never change.",
    action: "none",
  },
  [ErrorCode.AUDIT_CHECKPOINT_MISMATCH]: {
    title: "Audit record broken",
    hint: "The vault's stored events no longer give the root its signed audit checkpoint holds: records were changed or deleted after it was written. Keep the last exports and proofs; ask the operator to investigate the database.",
    action: "none",
  },
  [ErrorCode.INTENT_EXECUTING]: {
    title: "Already executing",
    hint: "A transaction for this intent is already on its way to the chain, so it can no longer be canceled safely. Watch the timeline for the receipt.",
    action: "none",
  },
  [ErrorCode.UPSTREAM_UNAVAILABLE]: {
    title: "OMS unreachable",
    hint: "The dashboard could not reach the OMS service. Check that it is running; this page retries automatically.",
    action: "retry",
  },
  [ErrorCode.STORE_UNAVAILABLE]: STORE_UNAVAILABLE_HINT,
  [ErrorCode.UPSTREAM_INVALID]: {
    title: "Unexpected answer from the OMS",
    hint: "The OMS answered something this dashboard does not understand (a version mismatch between the two). Nothing was shown from it; report it with the request id.",
    action: "none",
  },
  [ErrorCode.UPSTREAM_TIMEOUT]: {
    title: "OMS did not answer in time",
    hint: "The OMS is up but slow to answer. Retry in a moment.",
    action: "retry",
  },
  [ErrorCode.FORBIDDEN]: {
    title: "Not allowed",
    hint: "Your wallet has no role on this vault that permits this. Ask the vault's primary manager.",
    action: "none",
  },
  [ErrorCode.RATE_LIMITED]: {
    title: "Too many requests",
    hint: "This console or your wallet sent more requests than the OMS accepts in a short window. It retries by itself after the wait shown; nothing was lost.",
    action: "retry",
  },
  [ErrorCode.TOO_MANY_STREAMS]: {
    title: "Too many live views open",
    hint: "Your wallet already has the maximum number of live connections open (other tabs or scripts). Close some tabs; this view falls back to refreshing periodically.",
    action: "retry",
  },
  [ErrorCode.TOO_MANY_IN_FLIGHT]: {
    title: "Vault is busy",
    hint: "The vault already has as many unfinished intents as the OMS allows. New ones are accepted as soon as some complete; a strategy publishing faster than the chain executes should slow down.",
    action: "none",
  },
  [ErrorCode.DEADLINE_TOO_FAR]: {
    title: "Deadline too far out",
    hint: "The intent's deadline is further away than the OMS accepts. Use a shorter deadline or TTL.",
    action: "none",
  },
  [ErrorCode.SLIPPAGE_TOO_HIGH]: {
    title: "Slippage bound too loose",
    hint: "max_slippage_bps is above what the OMS accepts, which would let a trade lose most of its value. Use a tighter bound.",
    action: "none",
  },
  [ErrorCode.FEE_CAP_EXCEEDED]: {
    title: "Network fee above the cap",
    hint: "The fee this transaction would pay is above the OMS's per-transaction cap, so it waits instead of overpaying. It continues when fees fall, or an operator raises OMS_MAX_FEE_PER_TX_WEI.",
    action: "none",
  },
  [ErrorCode.BUDGET_EXHAUSTED]: {
    title: "Strategy budget used up",
    hint: "The on-chain budget the primary manager set for this action is used up for the current period. The intent waits and continues when the budget refills; the primary manager can raise the budget.",
    action: "none",
  },
  [ErrorCode.PAUSED]: {
    title: "Automation paused on-chain",
    hint: "The vault's automation is paused on-chain, so no session key may execute. Intents wait and continue once the primary manager unpauses.",
    action: "none",
  },
  [ErrorCode.PREPARED_TX_REJECTED]: {
    title: "Transaction refused before signing",
    hint: "The transaction the OMS prepared is not the session-key call this console expects for this vault, so it was not sent to your wallet. Nothing was signed. Report it to whoever operates the OMS.",
    action: "none",
  },
  [ErrorCode.UNAUTHENTICATED]: {
    title: "Signed out",
    hint: "Your session ended. Sign in again with your wallet.",
    action: "none",
  },
};

const UNKNOWN: ErrorHint = {
  title: "Unexpected error",
  hint: "The OMS reported an error this console has no specific advice for. The event timeline holds the details.",
  action: "none",
};

/** A plain-language hint for an error code; unknown codes get a generic, honest hint. */
export function errorHint(code: string): ErrorHint {
  return HINTS[code] ?? UNKNOWN;
}

export function hasSpecificHint(code: string): boolean {
  return HINTS[code] !== undefined;
}
