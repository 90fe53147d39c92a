import { ErrorCode } from "@/lib/defix/errors";
import { ApiError } from "@/lib/query/fetcher";

export type FlowErrorKind =
  | "rejected"
  | "reverted"
  | "wrong-chain"
  | "timeout"
  | "not-primary"
  | "rotation-not-on-chain"
  | "prepared-rejected"
  | "api"
  | "unknown";

export interface FlowError {
  kind: FlowErrorKind;
  message: string;
  /** A DeFiX error code the manager can quote, where there is one. */
  code?: string;
}

/** The browser refused the OMS's prepared transaction: the wallet was never asked. */
export function preparedRejection(reason: string): FlowError {
  return {
    kind: "prepared-rejected",
    code: ErrorCode.PREPARED_TX_REJECTED,
    message: `Refused before your wallet opened: ${reason}.`,
  };
}

interface ErrorLike {
  code?: unknown;
  name?: unknown;
  cause?: unknown;
  shortMessage?: unknown;
}

/** Walks `cause` chains (wagmi wraps viem wraps the provider's error) looking for a match. */
function findInChain(error: unknown, match: (e: ErrorLike) => boolean): ErrorLike | null {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current && typeof current === "object"; depth++) {
    const candidate = current as ErrorLike;
    if (match(candidate)) return candidate;
    current = candidate.cause;
  }
  return null;
}

/** Turns whatever the wallet, the chain or the BFF threw into a state the manager can act on. */
export function classifyFlowError(error: unknown): FlowError {
  if (error instanceof ApiError) {
    if (error.code === "ROTATION_NOT_ON_CHAIN") {
      return {
        kind: "rotation-not-on-chain",
        message: "The chain does not show the new key yet. Wait for the transaction to mine, then try again.",
      };
    }
    if (error.code === "NOT_PRIMARY_MANAGER" || error.status === 403) {
      return { kind: "not-primary", message: "Only the vault's primary manager can change its session key." };
    }
    return { kind: "api", message: error.message || `The request failed (${error.code}).` };
  }
  if (findInChain(error, (e) => e.code === 4001 || e.name === "UserRejectedRequestError")) {
    return { kind: "rejected", message: "You rejected the signature. Nothing was sent; you can try again." };
  }
  if (findInChain(error, (e) => e.name === "ChainMismatchError" || e.code === 4902)) {
    return {
      kind: "wrong-chain",
      message: "Your wallet is on another network. Switch to the vault's chain and retry.",
    };
  }
  if (findInChain(error, (e) => e.name === "WaitForTransactionReceiptTimeoutError" || e.name === "TimeoutError")) {
    return { kind: "timeout", message: "The transaction did not confirm in time. Check your wallet, then retry." };
  }
  const withMessage = findInChain(error, (e) => typeof e.shortMessage === "string");
  const text = withMessage ? String(withMessage.shortMessage) : error instanceof Error ? error.message : "";
  if (/revert/i.test(text)) return { kind: "reverted", message: `The transaction reverted: ${text}` };
  return { kind: "unknown", message: text ? text.split("\n")[0]!.slice(0, 200) : "Something went wrong. Try again." };
}
