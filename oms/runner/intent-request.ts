import type { SubmitIntentRequest } from "../../lib/defix/intents";
import { type ManifestHook, type ManifestVault, vaultAccountMode } from "../../lib/deployment/manifest";
import type { Decision } from "./rules";

type Submit = Extract<Decision, { kind: "submit" }>;
type HookName = ManifestHook["name"];

export class MissingHookError extends Error {
  constructor(vaultId: string, name: HookName, source: string) {
    super(`the published merkle tree of ${vaultId} has no ${name} leaf for ${source}`);
    this.name = "MissingHookError";
  }
}

function findHook(vault: ManifestVault, name: HookName, source: string): ManifestHook {
  const hook = vault.merkle.hooks.find((h) => h.name === name && h.yield_source === source.toLowerCase());
  if (!hook) throw new MissingHookError(vault.vault_id, name, source);
  return hook;
}

/** The hooks an action runs, in execution order: REBALANCE redeems from one source and deposits into another. */
function hooksFor(vault: ManifestVault, decision: Submit): ManifestHook[] {
  if (decision.action === "DEPOSIT") return [findHook(vault, "Deposit4626Hook", decision.target)];
  if (decision.action === "WITHDRAWAL") return [findHook(vault, "Redeem4626Hook", decision.target)];
  if (!decision.destination) throw new Error("a REBALANCE decision needs a destination");
  return [findHook(vault, "Redeem4626Hook", decision.target), findHook(vault, "Deposit4626Hook", decision.destination)];
}

/**
 * Builds the intent a strategy publishes, with proofs taken from the vault's published merkle
 * artifact. `seq` makes every tick a distinct intent (submit is idempotent on the config hash).
 */
export function buildIntentRequest(
  vault: ManifestVault,
  strategyId: string,
  decision: Submit,
  seq: number,
): SubmitIntentRequest {
  const hooks = hooksFor(vault, decision);
  const first = hooks[0]!;
  const executionParams: Record<string, string | number> = { runner_seq: seq };
  if (decision.destination) executionParams.to_yield_source = decision.destination;
  return {
    vault_id: vault.vault_id,
    strategy_id: strategyId,
    action: decision.action,
    objective: "BALANCED",
    // The vault's own mode: the OMS never runs an intent in another one.
    account_mode: vaultAccountMode(vault),
    action_config: {
      size_expr: decision.sizeExpr,
      execution_name: first.name,
      execution_address: first.hook,
      target_address: decision.target,
      from_address: vault.address,
      max_slippage_bps: 100,
      execution_params: executionParams,
    },
    auth_signing: {
      root: vault.merkle.root,
      proofs: hooks.map((h) => ({ hook: h.hook, hook_args: h.hook_args, proof: h.proof })),
    },
  };
}
