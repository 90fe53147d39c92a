"use client";

import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { LoadError } from "@/components/ui/load-error";
import { SkeletonRows } from "@/components/ui/skeleton-rows";
import type { Alert } from "@/lib/defix/alerts";
import { alertHistoryOptions, markAlertRead, markAllAlertsRead } from "@/lib/query/alerts";
import { queryKeys } from "@/lib/query/keys";
import { AlertItem } from "./alert-item";

type StateFilter = "all" | "open" | "resolved";
const FILTERS: { value: StateFilter; label: string }[] = [
  { value: "all", label: "All" },
  { value: "open", label: "Open" },
  { value: "resolved", label: "Resolved" },
];

/** The alerts page: the history of every alert of the user's vaults, filtered by state, in pages. */
export function AlertHistory() {
  const [state, setState] = useState<StateFilter>("all");
  const queryClient = useQueryClient();
  const history = useInfiniteQuery(alertHistoryOptions(state === "all" ? {} : { state }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.alerts.all });
  const read = useMutation({ mutationFn: markAlertRead, onSettled: refresh });
  const readAll = useMutation({ mutationFn: markAllAlertsRead, onSettled: refresh });
  const alerts = history.data?.pages.flatMap((page) => page.alerts) ?? [];
  const unread = history.data?.pages[0]?.unread ?? 0;
  const open = (alert: Alert) => {
    if (!alert.is_read) read.mutate(alert.alert_id);
  };

  return (
    <div className="flex max-w-3xl flex-col gap-4">
      <header className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-lg font-semibold text-zinc-900">Alerts</h1>
          <p className="text-sm text-zinc-600">
            Raised by the OMS when an intent fails or waits, a session key nears expiry or runs low on gas, a strategy
            keeps failing, or the kill switch is engaged. {unread > 0 ? `${unread} unread.` : null}
          </p>
        </div>
        <Button size="sm" disabled={unread === 0 || readAll.isPending} onClick={() => readAll.mutate()}>
          Mark all read
        </Button>
      </header>
      <fieldset className="flex gap-2">
        <legend className="sr-only">Show</legend>
        {FILTERS.map((filter) => (
          <label
            key={filter.value}
            className={`cursor-pointer rounded-md px-3 py-1 text-sm ring-1 ring-zinc-200 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-sky-500 ${state === filter.value ? "bg-zinc-900 text-zinc-50" : "text-zinc-700"}`}
          >
            <input
              type="radio"
              name="alert-state"
              value={filter.value}
              checked={state === filter.value}
              onChange={() => setState(filter.value)}
              className="sr-only"
            />
            {filter.label}
          </label>
        ))}
      </fieldset>
      {history.isPending ? (
        <SkeletonRows rows={5} />
      ) : history.isError ? (
        <LoadError error={history.error} onRetry={() => void history.refetch()} what="alerts" />
      ) : alerts.length === 0 ? (
        <p className="rounded-lg border border-dashed border-zinc-300 p-6 text-sm text-zinc-600">
          {state === "all" ? "No alerts yet." : `No ${state} alerts.`}
        </p>
      ) : (
        <ul className="rounded-lg border border-zinc-200 bg-surface" data-testid="alert-history">
          {alerts.map((alert) => (
            <AlertItem key={alert.alert_id} alert={alert} onOpen={open} />
          ))}
        </ul>
      )}
      {history.hasNextPage ? (
        <Button size="sm" onClick={() => void history.fetchNextPage()} disabled={history.isFetchingNextPage}>
          {history.isFetchingNextPage ? "Loading…" : "Load older alerts"}
        </Button>
      ) : null}
    </div>
  );
}
