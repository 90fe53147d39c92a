import { formatEther } from "viem";
import type { Readiness } from "@/lib/defix/session-keys";

/** `rotation` = finish or cancel the pending one; `rotate` = start one (it forwards fresh gas money). */
export type GateAction = "grant" | "rotation" | "rotate" | "retry" | "unpause" | "delegate" | "none";

export interface GateState {
  isBlocked: boolean;
  title: string;
  detail: string;
  action: GateAction;
}

const OPEN: GateState = { isBlocked: false, title: "Session key ready", detail: "", action: "none" };

/** Why automation cannot run, in the words a manager needs, and the one action that fixes it. */
export function gateStateFor(readiness: Readiness): GateState {
  if (readiness.is_ready) return OPEN;
  if (readiness.pending_rotation) {
    return {
      isBlocked: true,
      title: "A key rotation is pending",
      detail: "A new session key was prepared but is not active. Finish the rotation in your wallet or cancel it.",
      action: "rotation",
    };
  }
  switch (readiness.reason) {
    case "EXPIRED":
      return grant("The session key expired", "Automation stopped when the key expired. Grant a new key to resume.");
    case "REVOKED":
      return grant("The session key was revoked", "Automation is stopped. Grant a new key to resume.");
    case "GENERATION_CHANGED":
      return grant(
        "Session keys were invalidated",
        "All keys of this vault were invalidated on-chain (generation changed). Grant a new key.",
      );
    case "MANAGER_CHANGED":
      return grant(
        "The primary manager changed",
        "The key was granted by a previous primary manager, so it is no longer valid. The current primary manager must grant a new one.",
      );
    case "KEY_NOT_HELD":
      return grant(
        "The OMS cannot sign with this key",
        "The key on-chain is not one the OMS holds. Grant a new key the OMS generated.",
      );
    case "MISSING_PERMISSION":
      return grant("The key lacks permission", "The key cannot execute hooks. Grant a new key.");
    case "CHAIN_UNAVAILABLE":
      return {
        isBlocked: true,
        title: "The chain is unreachable",
        detail: "The OMS could not read the key's state from the chain.",
        action: "retry",
      };
    case "INSUFFICIENT_GAS":
      return {
        isBlocked: true,
        title: "The session key is out of gas money",
        detail:
          "The key is valid but holds too little ETH to pay for more executions, so intents wait instead of being sent. Rotate the key: the rotation forwards new gas money to the new key. Sending ETH to the key address also works.",
        action: "rotate",
      };
    case "INSUFFICIENT_DEPOSIT":
      return {
        isBlocked: true,
        title: "The smart account's EntryPoint deposit is too low",
        detail: `The account pays its user operations from its EntryPoint deposit, which holds ${weiText(readiness.balance_wei)} of the ${weiText(readiness.required_wei)} the next executions may cost, so intents wait. Rotate the key (its value is added to the deposit) or call addDeposit on the account.`,
        action: "rotate",
      };
    case "DELEGATION_MISSING":
      return {
        isBlocked: true,
        title: "The strategy EOA is not delegated",
        detail:
          "This vault runs in EIP7702 mode: its strategy EOA must delegate to the account implementation (eth_getCode = 0xef0100 || implementation). Sign the authorization with that wallet, then grant a key.",
        action: "delegate",
      };
    case "PAUSED":
      return {
        isBlocked: true,
        title: "PAUSED: automation is paused on-chain",
        detail:
          "The vault's automation is paused in the registry, so no session key may execute. Intents wait and resume once the primary manager unpauses.",
        action: "unpause",
      };
    case "NO_KEY":
    case null:
      return grant(
        "No session key yet",
        "Strategies publish intents only while the vault has a valid session key. Grant one with your wallet.",
      );
    default:
      return unknownReason(readiness.reason);
  }
}

/** Compile-time exhaustiveness: a new NotReadyReason fails to typecheck here until it gets a sentence. */
function unknownReason(reason: never): GateState {
  return grant("The session key is not ready", `The OMS reported ${String(reason)}.`);
}

function grant(title: string, detail: string): GateState {
  return { isBlocked: true, title, detail, action: "grant" };
}

/**
 * Six hours: long enough to rotate during a working day, short enough that a key granted with the
 * shortest preset (24 h) does not warn from the moment it is granted.
 */
const EXPIRY_WARNING_MS = 6 * 3_600_000;

/** True when a ready key expires within six hours: the canvas warns so the manager can rotate in time. */
export function isExpiringSoon(readiness: Readiness, now: number): boolean {
  if (!readiness.is_ready || !readiness.expires_at) return false;
  return Date.parse(readiness.expires_at) - now < EXPIRY_WARNING_MS;
}

/** Wei as ETH for a sentence; "an unknown amount" when the OMS did not say. */
function weiText(wei: string | null | undefined): string {
  if (wei === null || wei === undefined) return "an unknown amount";
  return `${formatEther(BigInt(wei))} ETH`;
}
