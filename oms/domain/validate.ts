import type { SubmitIntent } from "../../lib/defix";
import { ErrorCode } from "../../lib/defix/errors";
import type { AccountMode } from "../../lib/defix/intents";
import {
  type DeploymentManifest,
  type ManifestVault,
  supportedAccountModes,
  vaultAccountMode,
} from "../../lib/deployment/manifest";
import { DomainError } from "../kernel/errors";
import { rebalanceDestination } from "./hook-calls";
import { parseSizeExpr, SizeExprError } from "./size-expr";

const invalid = (message: string) => new DomainError(ErrorCode.VALIDATION_FAILED, message);

/** Account modes this OMS executes; the user-operation ones only with a bundler (`SubmitLimits.userOps`). */
export const EXECUTABLE_ACCOUNT_MODES: readonly AccountMode[] = ["OMS", "EIP7702", "EIP4337", "EIP4337_COMPANION"];
export const USER_OP_MODES: readonly AccountMode[] = ["EIP4337", "EIP4337_COMPANION"];

/** The intent's mode must be one its vault supports, and one this OMS executes: nothing runs in another mode. */
function checkAccountMode(input: SubmitIntent, vault: ManifestVault, hasBundler: boolean): void {
  const supported = supportedAccountModes(vault);
  if (!supported.includes(input.account_mode)) {
    throw new DomainError(
      ErrorCode.ACCOUNT_MODE_NOT_SUPPORTED_BY_VAULT,
      `vault ${vault.symbol} runs in account mode ${vaultAccountMode(vault)}; it does not support ${input.account_mode} (supported: ${supported.join(", ")})`,
    );
  }
  if (!EXECUTABLE_ACCOUNT_MODES.includes(input.account_mode)) {
    throw new DomainError(
      ErrorCode.ACCOUNT_MODE_UNSUPPORTED,
      `account mode ${input.account_mode} is not executed by this OMS yet (it executes: ${EXECUTABLE_ACCOUNT_MODES.join(", ")})`,
    );
  }
  if (USER_OP_MODES.includes(input.account_mode) && !hasBundler) {
    throw new DomainError(
      ErrorCode.ACCOUNT_MODE_UNSUPPORTED,
      `account mode ${input.account_mode} runs as ERC-4337 user operations and this OMS has no bundler (BUNDLER_URL is unset)`,
    );
  }
}

/** Gas-safety bounds on what one submit may ask for; absent = unbounded. */
export interface SubmitLimits {
  /** Whether the OMS has a bundler (BUNDLER_URL): without one the EIP4337 modes are refused. */
  userOps?: boolean;
  /** Non-terminal intents per vault (refused with 429 TOO_MANY_IN_FLIGHT). */
  maxInFlightPerVault?: number | null;
  /** Furthest deadline from now, in seconds (400 DEADLINE_TOO_FAR). */
  maxDeadlineSeconds?: number;
  /** Loosest `max_slippage_bps` (400 SLIPPAGE_TOO_HIGH). */
  maxSlippageBps?: number;
}

/**
 * Checks that need the deployment, before anything is stored: a refused intent leaves no row.
 * The merkle proof is checked later against the chain (ACKED), not here.
 */
export function validateSubmission(
  input: SubmitIntent,
  manifest: DeploymentManifest,
  limits: SubmitLimits = {},
): ManifestVault {
  const vault = manifest.vaults.find((v) => v.vault_id === input.vault_id);
  if (vault === undefined)
    throw new DomainError(ErrorCode.VAULT_NOT_FOUND, `vault ${input.vault_id} is not in this deployment`);
  checkAccountMode(input, vault, limits.userOps === true);
  const config = input.action_config;
  if (config.from_address !== vault.address) throw invalid("action_config.from_address must be the vault's address");
  const { deposit4626, redeem4626 } = manifest.contracts.hooks;
  const allowedHooks =
    input.action === "DEPOSIT"
      ? [deposit4626]
      : input.action === "WITHDRAWAL"
        ? [redeem4626]
        : [redeem4626, deposit4626];
  if (!allowedHooks.includes(config.execution_address)) {
    throw invalid(`action_config.execution_address is not a ${input.action} hook of this deployment`);
  }
  if (input.action === "REBALANCE") {
    const destination = rebalanceDestination(input);
    if (destination === null) throw invalid("REBALANCE needs action_config.execution_params.to_yield_source (address)");
    if (destination === config.target_address) throw invalid("REBALANCE must move between two different yield sources");
  }
  if (limits.maxSlippageBps !== undefined && config.max_slippage_bps > limits.maxSlippageBps) {
    throw new DomainError(
      ErrorCode.SLIPPAGE_TOO_HIGH,
      `action_config.max_slippage_bps ${config.max_slippage_bps} is above this OMS's bound of ${limits.maxSlippageBps}`,
    );
  }
  try {
    parseSizeExpr(config.size_expr);
  } catch (error) {
    if (error instanceof SizeExprError)
      throw new DomainError(ErrorCode.SIZE_EXPR_INVALID, `size_expr: ${error.message}`);
    throw error;
  }
  return vault;
}

export function resolveDeadline(
  input: SubmitIntent,
  now: Date,
  defaultTtlSeconds: number,
  maxDeadlineSeconds?: number,
): string {
  if (input.deadline !== undefined && input.ttl_seconds !== undefined) {
    throw invalid("give either deadline or ttl_seconds, not both");
  }
  const deadline =
    input.deadline !== undefined
      ? new Date(input.deadline)
      : new Date(now.getTime() + (input.ttl_seconds ?? defaultTtlSeconds) * 1000);
  if (deadline.getTime() <= now.getTime()) throw invalid("deadline is in the past");
  if (maxDeadlineSeconds !== undefined && deadline.getTime() > now.getTime() + maxDeadlineSeconds * 1000) {
    throw new DomainError(
      ErrorCode.DEADLINE_TOO_FAR,
      `the deadline may be at most ${maxDeadlineSeconds} s from now; this one is ${Math.ceil((deadline.getTime() - now.getTime()) / 1000)} s away`,
    );
  }
  return deadline.toISOString();
}
