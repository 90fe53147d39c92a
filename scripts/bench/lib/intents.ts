import type { SubmitIntentRequest } from "../../../lib/defix/intents";
import type { ManifestVault } from "../../../lib/deployment/manifest";

/**
 * A valid DEPOSIT into the vault's first yield source, with the proof from the published merkle
 * artifact. `seq` goes into `execution_params`, so every call is a distinct config (no dedupe).
 */
export function depositRequest(vault: ManifestVault, seq: number, sizeExpr = "1000"): SubmitIntentRequest {
  const hook = vault.merkle.hooks.find((h) => h.name === "Deposit4626Hook");
  if (!hook) throw new Error(`vault ${vault.vault_id} publishes no Deposit4626Hook leaf`);
  return {
    vault_id: vault.vault_id,
    strategy_id: "bench",
    action: "DEPOSIT",
    objective: "BALANCED",
    account_mode: "OMS",
    action_config: {
      size_expr: sizeExpr,
      execution_name: hook.name,
      execution_address: hook.hook,
      target_address: hook.yield_source,
      from_address: vault.address,
      max_slippage_bps: 100,
      execution_params: { bench_seq: seq },
    },
    auth_signing: {
      root: vault.merkle.root,
      proofs: [{ hook: hook.hook, hook_args: hook.hook_args, proof: hook.proof }],
    },
  };
}
