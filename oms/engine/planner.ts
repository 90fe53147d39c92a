import { type Address, encodeFunctionData, type Hex, maxUint256 } from "viem";
import { sessionKeyExecutorAbi } from "../../contracts/generated/abis";
import type { ErrorCode, Plan } from "../../lib/defix";
import type { ManifestVault } from "../../lib/deployment/manifest";
import type { DecodedRevert } from "../chain/gateway";
import { hookCalls, proofsFor } from "../domain/hook-calls";
import type { IntentRecord } from "../domain/record";
import { evaluateSizeExpr, SizeExprError } from "../domain/size-expr";
import type { EngineDeps } from "./deps";

export interface PlanFailure {
  state: "ABORTED" | "FAILED";
  code: ErrorCode;
  message: string;
}
export type PlanOutcome = { ok: true; plan: Plan } | { ok: false; failure: PlanFailure };

const BPS = 10_000n;
const withSlippage = (amount: bigint, bps: number) => (amount * (BPS - BigInt(bps))) / BPS;
const fail = (state: PlanFailure["state"], code: ErrorCode, message: string): PlanOutcome => ({
  ok: false,
  failure: { state, code, message },
});

/** Which error code a strategy should see for a simulation revert. */
export function revertCode(revert: DecodedRevert): ErrorCode {
  if (revert.name === "SlippageExceeded") return "SLIPPAGE";
  if (revert.name === "InvalidSessionKey") return "SESSION_KEY_NOT_READY";
  if (revert.name === "InvalidProof") return "MERKLE_PROOF_INVALID";
  return "SIMULATION_REVERTED";
}

export function executeHooksCalldata(strategy: Address, plan: Omit<Plan, "gas_limit" | "simulated_outputs">): Hex {
  return encodeFunctionData({
    abi: sessionKeyExecutorAbi,
    functionName: "executeHooks",
    args: [strategy, plan.hooks, plan.hook_args, plan.amounts.map(BigInt), plan.min_outputs.map(BigInt), plan.proofs],
  });
}

/**
 * Sizes the intent against live vault state, builds the hook arrays with minimum outputs from
 * `max_slippage_bps` and ERC-4626 previews, and simulates `executeHooks` from the session key.
 */
export async function planIntent(
  deps: EngineDeps,
  record: IntentRecord,
  vault: ManifestVault,
  signer: Address,
): Promise<PlanOutcome> {
  const config = record.action_config;
  const calls = hookCalls(record, deps.manifest);
  const proofs = proofsFor(record, calls);
  if (calls.length === 0 || proofs === null) return fail("ABORTED", "MERKLE_PROOF_INVALID", "no proof for every hook");
  const env = await deps.chain.vaultState(vault.address, config.target_address);
  let size: bigint;
  try {
    size = evaluateSizeExpr(config.size_expr, env);
  } catch (error) {
    if (!(error instanceof SizeExprError)) throw error;
    return fail("ABORTED", "SIZE_EXPR_INVALID", `size_expr: ${error.message}`);
  }
  if (size === 0n) return fail("ABORTED", "SIZE_EXPR_INVALID", "size_expr evaluates to 0");
  const bps = config.max_slippage_bps;
  let amounts: bigint[];
  let minOutputs: bigint[];
  if (record.action === "DEPOSIT") {
    if (size > env.vault_free_assets) {
      return fail("FAILED", "INSUFFICIENT_FREE_ASSETS", `size ${size} exceeds free assets ${env.vault_free_assets}`);
    }
    amounts = [size];
    minOutputs = [withSlippage(await deps.chain.previewDeposit(config.target_address, size), bps)];
  } else {
    // Size is in assets; the redeem hook takes shares. Rounding up keeps the output ≥ size.
    const shares = await deps.chain.previewWithdraw(config.target_address, size);
    amounts = [shares];
    minOutputs = [withSlippage(size, bps)];
    const destination = calls[1];
    if (destination !== undefined) {
      amounts.push(maxUint256);
      minOutputs.push(withSlippage(await deps.chain.previewDeposit(destination.source, size), bps));
    }
  }
  const draft = {
    size: size.toString(),
    hooks: calls.map((call) => call.hook),
    hook_args: calls.map((call) => call.hookArgs),
    amounts: amounts.map(String),
    min_outputs: minOutputs.map(String),
    proofs,
  };
  const data = executeHooksCalldata(vault.strategy, draft);
  const simulation = await deps.chain.simulate(signer, deps.manifest.contracts.executor, data);
  if (!simulation.ok) {
    return fail("FAILED", revertCode(simulation.revert), `simulation reverted: ${simulation.revert.message}`);
  }
  return {
    ok: true,
    plan: {
      ...draft,
      simulated_outputs: simulation.outputs.map(String),
      // Headroom: state may move a little between simulation and inclusion.
      gas_limit: ((simulation.gas * 12n) / 10n + 10_000n).toString(),
    },
  };
}
