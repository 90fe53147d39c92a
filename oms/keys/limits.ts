import { type Address, maxUint256, type PublicClient } from "viem";
import { sessionKeyExecutorAbi, vaultRegistryAbi } from "../../contracts/generated/abis";
import type { BudgetState, VaultLimits } from "../../lib/defix/limits";
import type { ManifestVault } from "../../lib/deployment/manifest";
import { vaultHooks } from "../../lib/deployment/vault-hooks";

export { vaultHooks };

/**
 * Reads a vault's on-chain limits (issue 20): the registry's pause and the budget per hook, from the contract that
 * holds the vault's session keys in its mode (executor, vault account, companion or 7702 EOA: one budget ABI).
 */

export interface LimitsReaderOptions {
  client: PublicClient;
  registry: Address;
  /** The vault's key holder (`sessionKeyHolder`): where its budgets live and are charged. */
  holder: Address;
}

const iso = (seconds: bigint): string | null => (seconds > 0n ? new Date(Number(seconds) * 1000).toISOString() : null);

export async function readVaultLimits(options: LimitsReaderOptions, vault: ManifestVault): Promise<VaultLimits> {
  const { client, holder } = options;
  const strategy = vault.strategy as Address;
  const hooks = vaultHooks(vault);
  const [paused, budgets] = await Promise.all([
    client.readContract({
      address: options.registry,
      abi: vaultRegistryAbi,
      functionName: "isPaused",
      args: [strategy],
    }),
    Promise.all(
      hooks.map(async ({ hook, name }): Promise<BudgetState | null> => {
        const [budget, state] = await Promise.all([
          client.readContract({
            address: holder,
            abi: sessionKeyExecutorAbi,
            functionName: "getBudget",
            args: [strategy, hook],
          }),
          client.readContract({
            address: holder,
            abi: sessionKeyExecutorAbi,
            functionName: "budgetState",
            args: [strategy, hook],
          }),
        ]);
        const [maxAmount, maxExecutions, period, rolling] = budget;
        if (period === 0) return null;
        const [usedAmount, usedExecutions, remainingAmount, remainingExecutions, refillAt] = state;
        return {
          hook: hook.toLowerCase() as Address,
          hook_name: name,
          max_amount: maxAmount.toString(),
          max_executions: maxExecutions,
          period_seconds: period,
          rolling,
          used_amount: usedAmount.toString(),
          used_executions: Number(usedExecutions),
          remaining_amount: remainingAmount === maxUint256 ? null : remainingAmount.toString(),
          remaining_executions: remainingExecutions === maxUint256 ? null : Number(remainingExecutions),
          refill_at: iso(refillAt),
          exhausted: remainingAmount === 0n || remainingExecutions === 0n,
        };
      }),
    ),
  ]);
  return { paused, budgets: budgets.filter((budget): budget is BudgetState => budget !== null) };
}
