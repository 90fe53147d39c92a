"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { waitingByStrategy } from "@/components/approvals/model/queue";
import { Button, Skeleton } from "@/components/ui";
import type { Strategy } from "@/lib/defix/strategies";
import { approvalsQueueOptions } from "@/lib/query/approvals";
import { isApiError } from "@/lib/query/fetcher";
import { queryKeys } from "@/lib/query/keys";
import { setKillSwitch, setStrategyState, strategiesOptions } from "@/lib/query/runner";
import { KillSwitch } from "./kill-switch";
import { StrategyCard } from "./strategy-card";

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

/** Three lanes of strategy cards under the vault's kill switch. Managers toggle; everyone else reads. */
export function StrategyCanvas({ vaultId, canManage }: { vaultId: string; canManage: boolean }) {
  const queryClient = useQueryClient();
  const strategies = useQuery(strategiesOptions(vaultId));
  const pending = useQuery(approvalsQueueOptions());
  const waiting = waitingByStrategy((pending.data ?? []).filter((intent) => intent.vault_id === vaultId));
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.vaults.strategies(vaultId) });
  const toggle = useMutation({
    mutationFn: (s: Strategy) => setStrategyState(s.strategy_id, s.state === "RUNNING" ? "IDLE" : "RUNNING", s.version),
    onSettled: refresh,
  });
  const killSwitch = useMutation({
    mutationFn: (engaged: boolean) => setKillSwitch(vaultId, engaged),
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
      {mutationError ? (
        <p role="alert" className="rounded-md bg-rose-50 p-2 text-sm text-rose-800">
          {errorText(mutationError)}
        </p>
      ) : null}
      {!canManage ? <p className="text-xs text-zinc-600">You have view-only access to these strategies.</p> : null}
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
            {strategies.data.strategies
              .filter((s) => s.lane === lane)
              .map((s) => (
                <StrategyCard
                  key={s.strategy_id}
                  strategy={s}
                  waitingApproval={waiting[s.strategy_id] ?? 0}
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
