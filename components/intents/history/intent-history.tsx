"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { lazy, Suspense, useEffect, useMemo, useRef } from "react";
import { useAnnounce } from "@/components/layout/announcer";
import { LoadError } from "@/components/ui/load-error";
import { SkeletonRows } from "@/components/ui/skeleton-rows";
import type { IntentState } from "@/lib/defix/intents";
import { hasActiveFilters } from "@/lib/query/intent-filters";
import { intentListOptions } from "@/lib/query/intents";
import { meOptions } from "@/lib/query/vaults";
import { rowsOf } from "../model/pages";
import { useStrategyNames } from "../strategy-names";
import { FilterBar } from "./filter-bar";
import { IntentTable } from "./intent-table";
import { LiveIndicator } from "./live-indicator";
import { useIntentFilters } from "./use-intent-filters";
import { useLiveIntents } from "./use-live-intents";

// Server-rendered, then hydrated once its code (and the export's state machine) has loaded after the page.
const ExportControl = lazy(() => import("./export-control").then((module) => ({ default: module.ExportControl })));
// Only an empty history shows it (with per-vault readiness): loaded when needed.
const EmptyState = lazy(() => import("./history-states").then((module) => ({ default: module.EmptyState })));

/** `/intents`: filters in the URL, the virtualized table, kept live by the stream or polling. */
export function IntentHistory() {
  const { filters, setFilters, clear } = useIntentFilters();
  const list = useInfiniteQuery(intentListOptions(filters));
  const me = useQuery(meOptions());
  const status = useLiveIntents(filters);
  const intents = useMemo(() => rowsOf(list.data), [list.data]);
  useAnnounceFinished(intents);
  const { isError, refetch } = list;
  // The error state promises the view fills in again once the OMS answers: the stream coming back is that
  // signal. Only its coming back: a list failing while the stream stays live (a 429) must not refetch in a loop.
  const wasLive = useRef(status === "live");
  useEffect(() => {
    const cameBack = status === "live" && !wasLive.current;
    wasLive.current = status === "live";
    if (cameBack && isError) void refetch();
  }, [status, isError, refetch]);
  const vaultIds = useMemo(() => me.data?.vaults.map((vault) => vault.vault_id) ?? [], [me.data]);
  const strategyNames = useStrategyNames(vaultIds);
  // Counts live in the same cache entry as the rows and move with them (model/facet-cache.ts).
  const shownFacets = list.data?.pages[0]?.facets ?? null;
  // Facet counts of a dimension may ignore that dimension's own filter: count only the chosen states.
  const countedStates = filters.state ?? Object.keys(shownFacets?.state ?? {});
  const total = shownFacets ? countedStates.reduce((sum, state) => sum + (shownFacets.state[state] ?? 0), 0) : null;

  return (
    <div className="space-y-3">
      <div className="flex items-baseline justify-between gap-4">
        <h1 className="text-xl font-semibold">Intents</h1>
        <div className="flex items-center gap-4 text-xs text-zinc-600">
          {total !== null ? (
            <span data-testid="intent-count">
              {intents.length.toLocaleString("en")} of {total.toLocaleString("en")} shown
            </span>
          ) : null}
          <LiveIndicator status={status} />
        </div>
      </div>
      <Suspense fallback={<div className="h-8" />}>
        <ExportControl
          filters={filters}
          vaultId={filters.vault_id ?? (vaultIds.length === 1 ? (vaultIds[0] ?? null) : null)}
        />
      </Suspense>
      <FilterBar
        filters={filters}
        facets={shownFacets}
        vaultIds={vaultIds}
        strategyNames={strategyNames}
        onChange={setFilters}
        onClear={clear}
      />
      {list.isPending ? (
        <SkeletonRows rows={10} label="Loading intents" />
      ) : list.isError && intents.length === 0 ? (
        <LoadError what="intents" error={list.error} onRetry={() => void list.refetch()} />
      ) : intents.length === 0 ? (
        <Suspense fallback={<SkeletonRows rows={2} label="Loading intents" />}>
          <EmptyState
            hasFilters={hasActiveFilters(filters)}
            vaultIds={filters.vault_id ? [filters.vault_id] : vaultIds}
            onClear={clear}
          />
        </Suspense>
      ) : (
        <IntentTable
          intents={intents}
          strategyNames={strategyNames}
          hasNextPage={list.hasNextPage}
          isFetchingNextPage={list.isFetchingNextPage}
          fetchNextPage={() => void list.fetchNextPage()}
        />
      )}
    </div>
  );
}

/** Tells screen readers when an intent they were watching in flight completes or fails (outcomes.ts). */
function useAnnounceFinished(intents: readonly { id: string; state: IntentState }[]): void {
  const announce = useAnnounce();
  const seen = useRef(new Map<string, IntentState>());
  useEffect(() => {
    // Loaded after the page (it only speaks once something finishes); resolved in the order the renders ran.
    void import("../model/outcomes")
      .then(({ describeFinished, finishedSince, remember }) => {
        const message = describeFinished(finishedSince(seen.current, intents));
        remember(seen.current, intents);
        if (message) announce(message);
      })
      .catch((error: unknown) => console.warn("announcement failed", error));
  }, [intents, announce]);
}
