import type { IntentAction, SubmitIntent } from "../../../lib/defix";
import type { DeploymentManifest, ManifestVault } from "../../../lib/deployment/manifest";

export interface IntentSpec {
  action: IntentAction;
  sizeExpr: string;
  /** Yield source index in the manifest (target; for REBALANCE the one to leave). */
  source?: number;
  /** REBALANCE: the yield source index to move into. */
  toSource?: number;
  slippageBps?: number;
  ttlSeconds?: number;
  strategyId?: string;
}

function proofOf(vault: ManifestVault, name: "Deposit4626Hook" | "Redeem4626Hook", source: string) {
  const leaf = vault.merkle.hooks.find((h) => h.name === name && h.yield_source === source);
  if (leaf === undefined) throw new Error(`no ${name} leaf for ${source}`);
  return { hook: leaf.hook, hook_args: leaf.hook_args, proof: leaf.proof };
}

/** A valid submission for a seeded vault, with proofs from the deployment manifest. */
export function submission(manifest: DeploymentManifest, vault: ManifestVault, spec: IntentSpec): SubmitIntent {
  const sources = manifest.contracts.yield_sources;
  const target = sources[spec.source ?? 0]?.address;
  const destination = sources[spec.toSource ?? 1]?.address;
  if (target === undefined || destination === undefined) throw new Error("no such yield source");
  const hookName = spec.action === "DEPOSIT" ? "Deposit4626Hook" : "Redeem4626Hook";
  const first = proofOf(vault, hookName, target);
  const proofs = spec.action === "REBALANCE" ? [first, proofOf(vault, "Deposit4626Hook", destination)] : [first];
  return {
    vault_id: vault.vault_id,
    strategy_id: spec.strategyId ?? "test-strategy",
    action: spec.action,
    objective: "BALANCED",
    account_mode: "OMS",
    action_config: {
      size_expr: spec.sizeExpr,
      execution_name: hookName,
      execution_address: first.hook,
      target_address: target,
      from_address: vault.address,
      max_slippage_bps: spec.slippageBps ?? 50,
      execution_params: spec.action === "REBALANCE" ? { to_yield_source: destination } : {},
    },
    auth_signing: { root: vault.merkle.root, proofs },
    ttl_seconds: spec.ttlSeconds ?? 600,
  };
}
