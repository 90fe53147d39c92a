import type { IntentAction, SubmitIntent } from "../../../lib/defix";
import { type DeploymentManifest, type ManifestVault, vaultAccountMode } from "../../../lib/deployment/manifest";

/** What a deposit builder needs of a vault: its id, address and published hooks tree. */
export type DepositVault = Pick<ManifestVault, "vault_id" | "address" | "merkle" | "account_mode">;

export interface DepositOptions {
  sizeExpr?: string;
  /** Yield source to deposit into; default: the first one the vault's tree has a deposit leaf for. */
  source?: string;
  strategyId?: string;
  slippageBps?: number;
  ttlSeconds?: number;
  /** E.g. a sequence number, so repeated deposits are distinct configs (idempotency folds identical ones). */
  executionParams?: Record<string, string | number | boolean>;
}

/** The one DEPOSIT builder of the tests and benches: a valid request with its proof from the vault's tree. */
export function depositIntent(vault: DepositVault, options: DepositOptions = {}): SubmitIntent {
  const leaf = vault.merkle.hooks.find(
    (hook) => hook.name === "Deposit4626Hook" && (options.source === undefined || hook.yield_source === options.source),
  );
  if (leaf === undefined)
    throw new Error(`no Deposit4626Hook leaf for ${options.source ?? "any source"} in ${vault.vault_id}`);
  return {
    vault_id: vault.vault_id,
    strategy_id: options.strategyId ?? "test-strategy",
    action: "DEPOSIT",
    objective: "BALANCED",
    account_mode: vaultAccountMode(vault),
    action_config: {
      size_expr: options.sizeExpr ?? "1000",
      execution_name: "Deposit4626Hook",
      execution_address: leaf.hook,
      target_address: leaf.yield_source,
      from_address: vault.address,
      max_slippage_bps: options.slippageBps ?? 50,
      execution_params: options.executionParams ?? {},
    },
    auth_signing: {
      root: vault.merkle.root,
      proofs: [{ hook: leaf.hook, hook_args: leaf.hook_args, proof: leaf.proof }],
    },
    ...(options.ttlSeconds === undefined ? {} : { ttl_seconds: options.ttlSeconds }),
  };
}

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

/** A valid submission of any action for a seeded vault, with proofs from the deployment manifest. */
export function submission(manifest: DeploymentManifest, vault: ManifestVault, spec: IntentSpec): SubmitIntent {
  const sources = manifest.contracts.yield_sources;
  const target = sources[spec.source ?? 0]?.address;
  const destination = sources[spec.toSource ?? 1]?.address;
  if (target === undefined || destination === undefined) throw new Error("no such yield source");
  const ttlSeconds = spec.ttlSeconds ?? 600;
  if (spec.action === "DEPOSIT") {
    const { sizeExpr, slippageBps, strategyId } = spec;
    return depositIntent(vault, { source: target, sizeExpr, slippageBps, strategyId, ttlSeconds });
  }
  const first = proofOf(vault, "Redeem4626Hook", target);
  const proofs = spec.action === "REBALANCE" ? [first, proofOf(vault, "Deposit4626Hook", destination)] : [first];
  return {
    vault_id: vault.vault_id,
    strategy_id: spec.strategyId ?? "test-strategy",
    action: spec.action,
    objective: "BALANCED",
    account_mode: vaultAccountMode(vault),
    action_config: {
      size_expr: spec.sizeExpr,
      execution_name: "Redeem4626Hook",
      execution_address: first.hook,
      target_address: target,
      from_address: vault.address,
      max_slippage_bps: spec.slippageBps ?? 50,
      execution_params: spec.action === "REBALANCE" ? { to_yield_source: destination } : {},
    },
    auth_signing: { root: vault.merkle.root, proofs },
    ttl_seconds: ttlSeconds,
  };
}
