import type { IntentAction } from "../../lib/defix/intents";
import type { DeploymentManifest } from "../../lib/deployment/manifest";
import type { StrategyParams } from "./rules";

export interface StrategySeed {
  strategy_id: string;
  vault_id: string;
  name: string;
  lane: "INFLOW" | "OUTFLOW" | "REBALANCE";
  action: IntentAction;
  params: StrategyParams;
}

/** URL-safe and stable across restarts: `{chainId}-{vault address}-{lane}`. */
export function strategyIdFor(vaultId: string, lane: StrategySeed["lane"]): string {
  return `${vaultId.replace(":", "-")}-${lane.toLowerCase()}`;
}

/** Every vault of the manifest gets one strategy per lane; all start IDLE. */
export function seedsFromManifest(manifest: DeploymentManifest): StrategySeed[] {
  const unit = 10n ** BigInt(manifest.contracts.asset.decimals);
  return manifest.vaults.flatMap((vault): StrategySeed[] => [
    {
      strategy_id: strategyIdFor(vault.vault_id, "INFLOW"),
      vault_id: vault.vault_id,
      name: "Deploy idle assets",
      lane: "INFLOW",
      action: "DEPOSIT",
      params: { kind: "INFLOW", min_free_assets: (10n * unit).toString(), size_expr: "vault_free_assets / 4" },
    },
    {
      strategy_id: strategyIdFor(vault.vault_id, "OUTFLOW"),
      vault_id: vault.vault_id,
      name: "Top up liquidity",
      lane: "OUTFLOW",
      action: "WITHDRAWAL",
      params: { kind: "OUTFLOW", amount: (5n * unit).toString() },
    },
    {
      strategy_id: strategyIdFor(vault.vault_id, "REBALANCE"),
      vault_id: vault.vault_id,
      name: "Chase the best yield",
      lane: "REBALANCE",
      action: "REBALANCE",
      params: { kind: "REBALANCE", divisor: 2, min_amount: unit.toString() },
    },
  ]);
}
