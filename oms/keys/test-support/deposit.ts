import type { SubmitIntent } from "../../../lib/defix";
import type { DeploymentManifest, ManifestVault } from "../../../lib/deployment/manifest";

/** A DEPOSIT of `size` asset units into the first yield source, with its proof from the manifest. */
export function depositSubmission(
  manifest: DeploymentManifest,
  vault: ManifestVault,
  size: string,
  ttlSeconds: number,
): SubmitIntent {
  const target = manifest.contracts.yield_sources[0]?.address;
  const leaf = vault.merkle.hooks.find((hook) => hook.name === "Deposit4626Hook" && hook.yield_source === target);
  if (!target || !leaf) throw new Error(`no deposit leaf for ${vault.vault_id}`);
  return {
    vault_id: vault.vault_id,
    strategy_id: "session-key-test",
    action: "DEPOSIT",
    objective: "BALANCED",
    account_mode: "OMS",
    action_config: {
      size_expr: size,
      execution_name: "Deposit4626Hook",
      execution_address: leaf.hook,
      target_address: target,
      from_address: vault.address,
      max_slippage_bps: 50,
      execution_params: {},
    },
    auth_signing: {
      root: vault.merkle.root,
      proofs: [{ hook: leaf.hook, hook_args: leaf.hook_args, proof: leaf.proof }],
    },
    ttl_seconds: ttlSeconds,
  };
}
