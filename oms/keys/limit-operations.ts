import { type Address, encodeFunctionData, getAddress, type PublicClient } from "viem";
import { sessionKeyExecutorAbi, vaultRegistryAbi } from "../../contracts/generated/abis";
import { ErrorCode } from "../../lib/defix/errors";
import type { BudgetRequest, GuardianRequest } from "../../lib/defix/limits";
import type { PreparedTransaction } from "../../lib/defix/session-keys";
import type { ManifestVault } from "../../lib/deployment/manifest";
import { DomainError } from "../kernel/errors";
import { vaultHooks } from "./limits";
import { type KeyActor, type OperationContext, stamp, withChain } from "./operations";

/**
 * Prepared calldata for the on-chain limits (issue 20): the primary manager's wallet (or, for a pause, a guardian's)
 * signs and sends it; the contracts check the sender again. Each prepare is a row in the vault's chained key history.
 * Who may ask is checked by the API (primary manager; primary or guardian for a pause).
 */

export interface LimitOperationsDeps {
  ctx: OperationContext;
  client: PublicClient;
  registry: Address;
  /** The contract holding `vault`'s keys and budgets in its mode (executor, vault account, companion, 7702 EOA). */
  holderOf(vault: ManifestVault): Address;
  chainId: number;
}

type LimitAction = "BUDGET_PREPARED" | "PAUSE_PREPARED" | "UNPAUSE_PREPARED" | "GUARDIAN_PREPARED";

export function limitOperations(deps: LimitOperationsDeps) {
  const { ctx } = deps;

  const isPaused = (vault: ManifestVault) =>
    deps.client.readContract({
      address: deps.registry,
      abi: vaultRegistryAbi,
      functionName: "isPaused",
      args: [vault.strategy as Address],
    });

  async function record(vault: ManifestVault, type: LimitAction, subject: string | null, actor: KeyActor) {
    const head = await ctx.readerOf(vault).head();
    await ctx.repository.addAction({
      vault_id: vault.vault_id,
      type,
      session_key_address: subject,
      actor: actor.subject,
      expires_at: null,
      ...stamp(ctx, head),
    });
    ctx.invalidate(vault.vault_id);
  }

  /** EIP7702: a budget sent to an EOA that does not delegate yet would be a plain call that sets nothing. */
  async function requireDelegation(vault: ManifestVault): Promise<void> {
    const { readiness } = await ctx.evaluate(vault, true);
    if (readiness.reason !== "DELEGATION_MISSING") return;
    throw new DomainError(
      ErrorCode.DELEGATION_MISSING,
      "The strategy EOA does not delegate to the EIP-7702 account implementation yet; a budget sent to it would set nothing. Sign the authorization first",
    );
  }

  const transaction = (to: Address, data: `0x${string}`): PreparedTransaction => ({
    to: to.toLowerCase() as Address,
    data,
    value: "0",
    chain_id: deps.chainId,
    session_key_address: null,
    expires_at: null,
  });

  return {
    /** Whether `account` is a guardian of the vault named by its current primary manager. */
    isGuardian(vaultId: string, account: Address): Promise<boolean> {
      const vault = ctx.vaultOf(vaultId);
      return withChain(() =>
        deps.client.readContract({
          address: deps.registry,
          abi: vaultRegistryAbi,
          functionName: "isGuardian",
          args: [vault.strategy as Address, getAddress(account)],
        }),
      );
    },

    async prepareBudget(vaultId: string, request: BudgetRequest, actor: KeyActor): Promise<PreparedTransaction> {
      const vault = ctx.vaultOf(vaultId);
      const hook = vaultHooks(vault).find((candidate) => candidate.hook.toLowerCase() === request.hook);
      if (!hook) {
        throw new DomainError(ErrorCode.VALIDATION_FAILED, "hook is not one of this vault's hooks", {
          hooks: vaultHooks(vault).map((candidate) => candidate.hook.toLowerCase()),
        });
      }
      await withChain(() => requireDelegation(vault));
      const data = encodeFunctionData({
        abi: sessionKeyExecutorAbi,
        functionName: "setBudget",
        args: [
          vault.strategy as Address,
          hook.hook,
          BigInt(request.max_amount),
          request.max_executions,
          request.period_seconds,
          request.rolling,
        ],
      });
      await withChain(() => record(vault, "BUDGET_PREPARED", request.hook, actor));
      // Every mode's key holder enforces budgets with the executor's ABI (SessionKeyValidation).
      return transaction(deps.holderOf(vault), data);
    },

    async preparePause(vaultId: string, actor: KeyActor): Promise<PreparedTransaction> {
      const vault = ctx.vaultOf(vaultId);
      return withChain(async () => {
        if (await isPaused(vault)) throw new DomainError(ErrorCode.PAUSED, "The vault's automation is already paused");
        await record(vault, "PAUSE_PREPARED", null, actor);
        const data = encodeFunctionData({
          abi: vaultRegistryAbi,
          functionName: "pause",
          args: [vault.strategy as Address],
        });
        return transaction(deps.registry, data);
      });
    },

    async prepareUnpause(vaultId: string, actor: KeyActor): Promise<PreparedTransaction> {
      const vault = ctx.vaultOf(vaultId);
      return withChain(async () => {
        if (!(await isPaused(vault))) throw new DomainError(ErrorCode.CONFLICT, "The vault's automation is not paused");
        await record(vault, "UNPAUSE_PREPARED", null, actor);
        const data = encodeFunctionData({
          abi: vaultRegistryAbi,
          functionName: "unpause",
          args: [vault.strategy as Address],
        });
        return transaction(deps.registry, data);
      });
    },

    async prepareGuardian(vaultId: string, request: GuardianRequest, actor: KeyActor): Promise<PreparedTransaction> {
      const vault = ctx.vaultOf(vaultId);
      if (BigInt(request.guardian) === 0n)
        throw new DomainError(ErrorCode.VALIDATION_FAILED, "guardian must not be the zero address");
      const data = encodeFunctionData({
        abi: vaultRegistryAbi,
        functionName: "setGuardian",
        args: [vault.strategy as Address, request.guardian, request.enabled],
      });
      await withChain(() => record(vault, "GUARDIAN_PREPARED", request.guardian, actor));
      return transaction(deps.registry, data);
    },
  };
}
export type LimitOperations = ReturnType<typeof limitOperations>;
