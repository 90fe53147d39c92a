"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useApprovalsLive } from "@/components/approvals/live/use-approvals-live";
import { waitingByStrategy } from "@/components/approvals/model/queue";
import type { VaultWalletTarget } from "@/components/session-keys/wallet-check";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { useIsHydrated } from "@/components/ui/use-hydrated";
import type { Strategy } from "@/lib/defix/strategies";
import type { VaultAccount } from "@/lib/deployment/vault-account";
import { approvalsQueueOptions } from "@/lib/query/approvals-queue";
import { isApiError } from "@/lib/query/fetcher";
import { queryKeys } from "@/lib/query/keys";
import { setKillSwitch, setStrategyState } from "@/lib/query/runner";
import { strategiesOptions } from "@/lib/query/strategies";
import { BudgetBars } from "./budget-bars";
import { BudgetForm } from "./budget-form";
import { GuardianPanel } from "./guardian-panel";
import { KillSwitch } from "./kill-switch";
import { LimitFlowStatus } from "./limit-review";
import { StrategyCard } from "./strategy-card";
import { useLimitTransaction } from "./use-limit-transaction";

const LANES = [
  { lane: "INFLOW", title: "Inflow", hint: "Deposits idle assets into yield sources" },
  { lane: "OUTFLOW", title: "Outflow", hint: "Withdraws from yield sources" },
  { lane: "REBALANCE", title: "Rebalance", hint: "Moves assets toward higher yield" },
] as const;

function errorText(error: Error): string {
  if (isApiError(error) && error.code === "VERSION_CONFLICT") {
    return "Someone else changed this strategy meanwhile. The canvas now shows the latest state; try again.";
  }
  return error.message;
}

/** Hooks need a target; without a primary manager's one the pause flow is never started. */
const NO_TARGET: VaultWalletTarget = {
  chainId: 0,
  chainName: "",
  registry: "0x0000000000000000000000000000000000000000",
  vault: "0x0000000000000000000000000000000000000000",
  primaryManager: "0x0000000000000000000000000000000000000000",
  executor: "0x0000000000000000000000000000000000000000",
  strategy: "0x0000000000000000000000000000000000000000",
  maxStipendWei: "0",
};

/**
 * Three lanes of strategy cards under the vault's kill switch. Managers toggle; everyone else reads. With a
 * `target` (the primary manager's wallet target), engaging the kill switch also asks the wallet to sign the
 * on-chain pause (decoded preview first), and the manager can set on-chain budgets.
 */
export function StrategyCanvas({
  vaultId,
  canManage,
  primaryTarget,
  account,
}: {
  vaultId: string;
  canManage: boolean;
  primaryTarget?: VaultWalletTarget;
  account?: VaultAccount;
}) {
  const queryClient = useQueryClient();
  const strategies = useQuery(strategiesOptions(vaultId));
  useApprovalsLive();
  const pending = useQuery(approvalsQueueOptions());
  const isHydrated = useIsHydrated();
  const waiting = waitingByStrategy(
    (isHydrated ? (pending.data ?? []) : []).filter((intent) => intent.vault_id === vaultId),
  );
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.vaults.strategies(vaultId) });
  const toggle = useMutation({
    mutationFn: (s: Strategy) => setStrategyState(s.strategy_id, s.state === "RUNNING" ? "IDLE" : "RUNNING", s.version),
    onSettled: refresh,
  });
  const pause = useLimitTransaction(vaultId, primaryTarget ?? NO_TARGET);
  const killSwitch = useMutation({
    mutationFn: (engaged: boolean) => setKillSwitch(vaultId, engaged),
    onSuccess: (_result, engaged) => {
      // The runner stopped; a leaked key or OMS could still execute until the chain says paused.
      if (engaged && primaryTarget) void pause.run({ kind: "pause" });
    },
    onSettled: refresh,
  });

  if (strategies.isPending) return <Skeleton className="h-64 w-full" />;
  if (strategies.isError) {
    return (
      <div role="alert" className="rounded-lg border border-rose-200 bg-rose-50 p-4 text-sm text-rose-900">
        The strategy runner could not be reached: {strategies.error.message}{" "}
        <Button size="sm" onClick={() => strategies.refetch()}>
          Retry
        </Button>
      </div>
    );
  }
  const mutationError = toggle.error ?? killSwitch.error;
  return (
    <div className="flex flex-col gap-4">
      <KillSwitch
        isEngaged={strategies.data.kill_switch}
        canManage={canManage}
        isSaving={killSwitch.isPending}
        onChange={(engaged) => killSwitch.mutate(engaged)}
      />
      {primaryTarget ? (
        <LimitFlowStatus phase={pause.phase} onConfirm={() => void pause.confirm()} onCancel={pause.reset} />
      ) : null}
      {mutationError ? (
        <p role="alert" className="rounded-md bg-rose-50 p-2 text-sm text-rose-800">
          {errorText(mutationError)}
        </p>
      ) : null}
      {!canManage ? <p className="text-xs text-zinc-600">You have view-only access to these strategies.</p> : null}
      {primaryTarget ? <BudgetForm vaultId={vaultId} target={primaryTarget} /> : null}
      {primaryTarget ? <GuardianPanel vaultId={vaultId} target={primaryTarget} /> : null}
      <div className="grid gap-4 md:grid-cols-3">
        {LANES.map(({ lane, title, hint }) => (
          <section
            key={lane}
            aria-label={`${title} lane`}
            className="flex flex-col gap-3 rounded-lg bg-zinc-100/70 p-3"
          >
            <header>
              <h2 className="text-sm font-semibold text-zinc-900">{title}</h2>
              <p className="text-xs text-zinc-600">{hint}</p>
            </header>
            <BudgetBars vaultId={vaultId} lane={lane} />
            {strategies.data.strategies
              .filter((s) => s.lane === lane)
              .map((s) => (
                <StrategyCard
                  key={s.strategy_id}
                  strategy={s}
                  waitingApproval={waiting[s.strategy_id] ?? 0}
                  maxWaitingApproval={strategies.data.max_waiting_approvals}
                  account={account}
                  canManage={canManage}
                  isSaving={toggle.isPending && toggle.variables?.strategy_id === s.strategy_id}
                  onToggle={(target) => toggle.mutate(target)}
                />
              ))}
          </section>
        ))}
      </div>
    </div>
  );
}
