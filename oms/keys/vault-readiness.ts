import type { Address, PublicClient } from "viem";
import { entryPoint08Abi } from "viem/account-abstraction";
import { limitReason } from "../../lib/defix/limits";
import type { Readiness } from "../../lib/defix/session-keys";
import { type DeploymentManifest, type ManifestVault, vaultAccountMode } from "../../lib/deployment/manifest";
import { isDelegatedTo } from "./delegation";
import type { ExecutorReader } from "./executor";
import { readVaultLimits } from "./limits";
import { isChainError } from "./operations";
import { type Evaluation, evaluateReadiness, findForeignValidKey, type GasFunding } from "./readiness";
import type { LiveKeys, SessionKeyRepository } from "./repository";

export interface VaultReadinessDeps {
  client: PublicClient;
  manifest: DeploymentManifest;
  repository: SessionKeyRepository;
  readerOf(vault: ManifestVault): ExecutorReader;
  /** The contract that holds the vault's session keys in its account mode. */
  holderOf(vault: ManifestVault): Address;
  clock(): Date;
  logsFromBlock: bigint;
  /** Gas one execution may cost at most, and how many executions the payer must cover at today's max fee. */
  executionGasBudget: bigint;
  gasReserveExecutions: bigint;
  logger?: { warn(message: string): void };
}

/** A readiness that no stored key may sign under, naming what the database holds. */
function notReady(
  vaultId: string,
  live: LiveKeys,
  reason: Readiness["reason"],
  activeKey: boolean,
  checkedAt: Date,
): Evaluation {
  const pending = live.pendingRotation ?? live.pendingGrant;
  return {
    readiness: {
      vault_id: vaultId,
      is_ready: false,
      session_key_address: activeKey && live.active ? (live.active.address as Address) : null,
      expires_at: null,
      pending_rotation: activeKey && live.pendingRotation !== null,
      pending_session_key_address: pending ? (pending.address as Address) : null,
      reason,
      checked_at: checkedAt.toISOString(),
    },
    signer: null,
  };
}

/**
 * A vault's readiness read from the chain, uncached: the EIP7702 delegation, the held keys against the key
 * holder, who pays for gas in the vault's mode, and the on-chain limits (budgets, pause). The service caches it.
 */
export function vaultReadiness(deps: VaultReadinessDeps): (vault: ManifestVault) => Promise<Evaluation> {
  /** The key's balance against budget × reserve × the max fee per gas the engine would sign with now. */
  /** In the 4337 modes the account pays from its EntryPoint deposit, not the key: that is what must cover gas. */
  async function gasFunding(vault: ManifestVault, key: Address): Promise<GasFunding> {
    const mode = vaultAccountMode(vault);
    const entryPoint = deps.manifest.contracts.entry_point;
    const paysFromDeposit = (mode === "EIP4337" || mode === "EIP4337_COMPANION") && entryPoint !== undefined;
    const [balance, fees] = await Promise.all([
      paysFromDeposit
        ? deps.client.readContract({
            address: entryPoint,
            abi: entryPoint08Abi,
            functionName: "balanceOf",
            args: [deps.holderOf(vault)],
          })
        : deps.client.getBalance({ address: key }),
      deps.client.estimateFeesPerGas(),
    ]);
    const required = deps.executionGasBudget * deps.gasReserveExecutions * fees.maxFeePerGas;
    return { balance, required, shortReason: paysFromDeposit ? "INSUFFICIENT_DEPOSIT" : "INSUFFICIENT_GAS" };
  }

  /** EIP7702 vaults without the delegation in place: nothing can be read from (or granted on) the EOA. */
  async function missingDelegation(vault: ManifestVault): Promise<Evaluation | null> {
    const implementation = deps.manifest.contracts.account_7702;
    if (vaultAccountMode(vault) !== "EIP7702" || !implementation) return null;
    if (await isDelegatedTo(deps.client, deps.holderOf(vault), implementation)) return null;
    const live = await deps.repository.live(vault.vault_id);
    return notReady(vault.vault_id, live, "DELEGATION_MISSING", false, deps.clock());
  }

  function keyReadiness(vault: ManifestVault, strategy: Address): Promise<Evaluation> {
    const reader = deps.readerOf(vault);
    return evaluateReadiness({
      vaultId: vault.vault_id,
      strategy,
      repository: deps.repository,
      reader,
      now: deps.clock,
      gasFunding: (key) => gasFunding(vault, key),
      foreignValidKey: (held) =>
        findForeignValidKey(
          { client: deps.client, executor: deps.holderOf(vault), strategy, fromBlock: deps.logsFromBlock, reader },
          held,
        ),
    });
  }

  return async function evaluate(vault) {
    const strategy = vault.strategy as Address;
    try {
      const undelegated = await missingDelegation(vault);
      if (undelegated) return undelegated;
      const [evaluation, limits] = await Promise.all([
        keyReadiness(vault, strategy),
        readVaultLimits(
          { client: deps.client, registry: deps.manifest.contracts.registry, holder: deps.holderOf(vault) },
          vault,
        ),
      ]);
      const readiness = { ...evaluation.readiness, limits, limit_reason: limitReason(limits) };
      // A paused vault refuses every session key on-chain: nothing may sign until the primary manager unpauses.
      if (limits.paused) return { readiness: { ...readiness, is_ready: false, reason: "PAUSED" }, signer: null };
      return { ...evaluation, readiness };
    } catch (error) {
      if (!isChainError(error)) throw error;
      deps.logger?.warn(`session key readiness of ${vault.vault_id}: chain unavailable (${error.shortMessage})`);
      const live = await deps.repository.live(vault.vault_id);
      return notReady(vault.vault_id, live, "CHAIN_UNAVAILABLE", true, deps.clock());
    }
  };
}
