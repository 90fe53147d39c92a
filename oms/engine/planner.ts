import { type Address, encodeFunctionData, type Hex, maxUint256 } from "viem";
import { sessionKeyExecutorAbi, superVaultAbi } from "../../contracts/generated/abis";
import type { ErrorCode, Plan } from "../../lib/defix";
import {
  type DeploymentManifest,
  type ManifestVault,
  sessionKeyHolder,
  vaultAccountMode,
} from "../../lib/deployment/manifest";
import type { DecodedRevert } from "../chain/gateway";
import { hookCalls, proofsFor } from "../domain/hook-calls";
import type { IntentRecord } from "../domain/record";
import { evaluateSizeExpr, type SizeEnv, SizeExprError } from "../domain/size-expr";
import type { EngineDeps } from "./deps";

/** What planning needs of an intent: a stored intent, or a submission being refined. */
export type PlanSubject = Pick<IntentRecord, "action" | "action_config" | "auth_signing">;
export type PlannerDeps = Pick<EngineDeps, "chain" | "manifest">;
/** The hook arrays before simulation. */
export type PlanDraft = Omit<Plan, "gas_limit" | "simulated_outputs">;

export interface PlanFailure {
  state: "ABORTED" | "FAILED";
  code: ErrorCode;
  message: string;
  /** The decoded revert when the simulation failed. */
  revert: DecodedRevert | null;
}
/** What planning read and built, kept on failure too so a refinement can show how far it got. */
export interface PlanReading {
  env: SizeEnv | null;
  draft: PlanDraft | null;
}
export type PlanOutcome = PlanReading &
  ({ ok: true; plan: Plan; gasEstimate: bigint } | { ok: false; failure: PlanFailure });

const BPS = 10_000n;
const withSlippage = (amount: bigint, bps: number) => (amount * (BPS - BigInt(bps))) / BPS;
const fail = (
  reading: PlanReading,
  state: PlanFailure["state"],
  code: ErrorCode,
  message: string,
  revert: DecodedRevert | null = null,
): PlanOutcome => ({ ...reading, ok: false, failure: { state, code, message, revert } });

/** Which error code a strategy should see for a simulation revert. */
export function revertCode(revert: DecodedRevert): ErrorCode {
  if (revert.name === "SlippageExceeded") return "SLIPPAGE";
  if (revert.name === "InvalidSessionKey") return "SESSION_KEY_NOT_READY";
  if (revert.name === "InvalidProof") return "MERKLE_PROOF_INVALID";
  return "SIMULATION_REVERTED";
}

export function executeHooksCalldata(strategy: Address, plan: PlanDraft): Hex {
  return encodeFunctionData({
    abi: sessionKeyExecutorAbi,
    functionName: "executeHooks",
    args: [strategy, plan.hooks, plan.hook_args, plan.amounts.map(BigInt), plan.min_outputs.map(BigInt), plan.proofs],
  });
}

/** The account modes whose hooks run as ERC-4337 user operations (the account is `key_holder`). */
export const isUserOpMode = (vault: ManifestVault): boolean => vaultAccountMode(vault).startsWith("EIP4337");

/**
 * The call that executes the plan, per account mode: the session key calls its key holder (OMS, EIP7702); in the
 * 4337 modes the EntryPoint calls the account, which is the vault itself (EIP4337, `SuperVault.executeHooks`
 * without the strategy argument) or the companion (the executor's 6-argument ABI).
 */
export function executionCall(
  manifest: Pick<DeploymentManifest, "contracts">,
  vault: ManifestVault,
  sessionKey: Address,
  plan: PlanDraft,
): { from: Address; to: Address; data: Hex } {
  const to = sessionKeyHolder(manifest, vault);
  if (!isUserOpMode(vault)) return { from: sessionKey, to, data: executeHooksCalldata(vault.strategy, plan) };
  const from = manifest.contracts.entry_point;
  if (from === undefined)
    throw new Error(`vault ${vault.symbol} runs in a 4337 mode but the manifest has no entry_point`);
  if (vaultAccountMode(vault) === "EIP4337_COMPANION")
    return { from, to, data: executeHooksCalldata(vault.strategy, plan) };
  const data = encodeFunctionData({
    abi: superVaultAbi,
    functionName: "executeHooks",
    args: [plan.hooks, plan.hook_args, plan.amounts.map(BigInt), plan.min_outputs.map(BigInt), plan.proofs],
  });
  return { from, to, data };
}

/** Headroom over the estimate: state may move a little between simulation and inclusion. */
export const gasLimitFor = (estimate: bigint): bigint => (estimate * 12n) / 10n + 10_000n;

/**
 * Sizes the intent against vault state, builds the hook arrays with minimum outputs from
 * `max_slippage_bps` and ERC-4626 previews, and simulates `executeHooks` from the session key.
 * The one planner: live execution (STAGED → PLANNED) reads the latest block, a refinement pins
 * every read to `block`.
 */
export async function planIntent(
  deps: PlannerDeps,
  subject: PlanSubject,
  vault: ManifestVault,
  signer: Address,
  block?: bigint,
): Promise<PlanOutcome> {
  const config = subject.action_config;
  const calls = hookCalls(subject, deps.manifest);
  const proofs = proofsFor(subject, calls);
  const nothing: PlanReading = { env: null, draft: null };
  if (calls.length === 0 || proofs === null) {
    return fail(nothing, "ABORTED", "MERKLE_PROOF_INVALID", "no proof for every hook");
  }
  const env = await deps.chain.vaultState(vault.address, config.target_address, block);
  const read: PlanReading = { env, draft: null };
  let size: bigint;
  try {
    size = evaluateSizeExpr(config.size_expr, env);
  } catch (error) {
    if (!(error instanceof SizeExprError)) throw error;
    return fail(read, "ABORTED", "SIZE_EXPR_INVALID", `size_expr: ${error.message}`);
  }
  if (size === 0n) return fail(read, "ABORTED", "SIZE_EXPR_INVALID", "size_expr evaluates to 0");
  const bps = config.max_slippage_bps;
  let amounts: bigint[];
  let minOutputs: bigint[];
  if (subject.action === "DEPOSIT") {
    if (size > env.vault_free_assets) {
      const message = `size ${size} exceeds free assets ${env.vault_free_assets}`;
      return fail(read, "FAILED", "INSUFFICIENT_FREE_ASSETS", message);
    }
    amounts = [size];
    minOutputs = [withSlippage(await deps.chain.previewDeposit(config.target_address, size, block), bps)];
  } else {
    // Size is in assets; the redeem hook takes shares. Rounding up keeps the output ≥ size.
    const shares = await deps.chain.previewWithdraw(config.target_address, size, block);
    amounts = [shares];
    minOutputs = [withSlippage(size, bps)];
    const destination = calls[1];
    if (destination !== undefined) {
      amounts.push(maxUint256);
      minOutputs.push(withSlippage(await deps.chain.previewDeposit(destination.source, size, block), bps));
    }
  }
  const draft: PlanDraft = {
    size: size.toString(),
    hooks: calls.map((call) => call.hook),
    hook_args: calls.map((call) => call.hookArgs),
    amounts: amounts.map(String),
    min_outputs: minOutputs.map(String),
    proofs,
  };
  return simulatePlan(deps, vault, signer, draft, env, block);
}

/** Simulates `executeHooks` with exactly these arrays; also re-checks a refined plan before it executes. */
export async function simulatePlan(
  deps: PlannerDeps,
  vault: ManifestVault,
  signer: Address,
  draft: PlanDraft,
  env: SizeEnv | null,
  block?: bigint,
): Promise<PlanOutcome> {
  const reading: PlanReading = { env, draft };
  const call = executionCall(deps.manifest, vault, signer, draft);
  const simulation = await deps.chain.simulate(call.from, call.to, call.data, block);
  if (!simulation.ok) {
    const { revert } = simulation;
    return fail(reading, "FAILED", revertCode(revert), `simulation reverted: ${revert.message}`, revert);
  }
  const plan: Plan = {
    ...draft,
    simulated_outputs: simulation.outputs.map(String),
    gas_limit: gasLimitFor(simulation.gas).toString(),
  };
  return { ...reading, ok: true, plan, gasEstimate: simulation.gas };
}
