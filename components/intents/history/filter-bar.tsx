"use client";

import { lazy, Suspense, useEffect, useState } from "react";
import { useChainContext } from "@/components/chain/chain-context";
import type { ApprovalStatus } from "@/lib/defix/authorization";
import type { IntentAction, IntentFacets, IntentState } from "@/lib/defix/intents";
import { APPROVAL_STATUSES, INTENT_STATES, isTerminalState } from "@/lib/defix/states";
import { vaultName } from "@/lib/format/tokens";
import { type IntentFilters, TIME_RANGES, type TimeRange } from "@/lib/query/intent-filters";
import type { FilterPatch } from "./use-intent-filters";

const RANGE_LABEL: Record<TimeRange, string> = {
  "1h": "Last hour",
  "24h": "Last 24 h",
  "7d": "Last 7 days",
  "30d": "Last 30 days",
};
const APPROVAL_LABEL: Record<ApprovalStatus, string> = {
  not_required: "No approval needed",
  pending: "Awaiting approval",
  approved: "Approved",
  rejected: "Rejected",
  expired: "Approval timed out",
};
const selectClass =
  "rounded-md border border-zinc-300 bg-surface px-2 py-1 text-sm focus-visible:outline-2 focus-visible:outline-blue-600";

const CUSTOM = "custom";
// The date-time inputs of a custom window: most views use a preset or no time filter.
const ShareLinkButton = lazy(() =>
  import("./share-link-button").then((module) => ({ default: module.ShareLinkButton })),
);
const CustomRange = lazy(() => import("./custom-range").then((module) => ({ default: module.CustomRange })));

function withCount(label: string, count: number | undefined): string {
  return count === undefined ? label : `${label} (${count})`;
}

export function FilterBar({
  filters,
  facets,
  vaultIds,
  strategyNames,
  onChange,
  onClear,
}: {
  filters: IntentFilters;
  facets: IntentFacets | null;
  vaultIds: readonly string[];
  strategyNames: ReadonlyMap<string, string>;
  onChange: (patch: FilterPatch, options?: { isTyping?: boolean }) => void;
  onClear: () => void;
}) {
  const { context } = useChainContext();
  const [query, setQuery] = useState(filters.q ?? "");
  useEffect(() => setQuery(filters.q ?? ""), [filters.q]);
  const [isCustomOpen, setIsCustomOpen] = useState(false);
  const isCustom = !filters.range && (isCustomOpen || Boolean(filters.from || filters.to));
  const selectedStates = new Set(filters.state ?? []);
  const vaults = [
    ...new Set([...vaultIds, ...Object.keys(facets?.vault_id ?? {}), ...(filters.vault_id ? [filters.vault_id] : [])]),
  ];
  const strategies = [
    ...new Set([...Object.keys(facets?.strategy_id ?? {}), ...(filters.strategy_id ? [filters.strategy_id] : [])]),
  ];
  const toggleState = (state: IntentState) => {
    const next = new Set(selectedStates);
    if (next.has(state)) next.delete(state);
    else next.add(state);
    onChange({ state: [...next] });
  };

  return (
    <search aria-label="Filter intents" className="space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        <input
          type="search"
          value={query}
          onChange={(event) => {
            setQuery(event.target.value);
            onChange({ q: event.target.value || null }, { isTyping: true });
          }}
          placeholder="Search intent id or tx hash"
          aria-label="Search by intent id or transaction hash"
          className={`${selectClass} w-72 font-mono`}
        />
        <select
          aria-label="Vault"
          value={filters.vault_id ?? ""}
          onChange={(e) => onChange({ vault_id: e.target.value || null })}
          className={selectClass}
        >
          <option value="">All vaults</option>
          {vaults.map((id) => (
            <option key={id} value={id}>
              {withCount(vaultName(context, id), facets ? (facets.vault_id[id] ?? 0) : undefined)}
            </option>
          ))}
        </select>
        <select
          aria-label="Action"
          value={filters.action ?? ""}
          onChange={(e) => onChange({ action: (e.target.value || null) as IntentAction | null })}
          className={selectClass}
        >
          <option value="">All actions</option>
          {(["DEPOSIT", "WITHDRAWAL", "REBALANCE"] as const).map((action) => (
            <option key={action} value={action}>
              {withCount(action, facets ? (facets.action[action] ?? 0) : undefined)}
            </option>
          ))}
        </select>
        <select
          aria-label="Strategy"
          value={filters.strategy_id ?? ""}
          onChange={(e) => onChange({ strategy_id: e.target.value || null })}
          className={selectClass}
        >
          <option value="">All strategies</option>
          {strategies.map((id) => (
            <option key={id} value={id}>
              {withCount(strategyNames.get(id) ?? id, facets ? (facets.strategy_id[id] ?? 0) : undefined)}
            </option>
          ))}
        </select>
        <select
          aria-label="Approval"
          value={filters.approval_status ?? ""}
          onChange={(e) => onChange({ approval_status: (e.target.value || null) as ApprovalStatus | null })}
          className={selectClass}
        >
          <option value="">Any approval</option>
          {APPROVAL_STATUSES.map((status) => (
            <option key={status} value={status}>
              {APPROVAL_LABEL[status]}
            </option>
          ))}
        </select>
        <select
          aria-label="Time range"
          value={filters.range ?? (isCustom ? CUSTOM : "")}
          onChange={(e) => {
            const value = e.target.value;
            if (value === CUSTOM) {
              setIsCustomOpen(true);
              onChange({ range: null });
            } else {
              setIsCustomOpen(false);
              onChange({ range: (value || null) as TimeRange | null, from: null, to: null });
            }
          }}
          className={selectClass}
        >
          <option value="">Any time</option>
          {TIME_RANGES.map((range) => (
            <option key={range} value={range}>
              {RANGE_LABEL[range]}
            </option>
          ))}
          <option value={CUSTOM}>Custom range…</option>
        </select>
        {isCustom ? (
          <Suspense fallback={null}>
            <CustomRange from={filters.from} to={filters.to} onChange={onChange} />
          </Suspense>
        ) : null}
        <button
          type="button"
          onClick={onClear}
          className="rounded px-2 py-1 text-sm text-zinc-600 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-blue-600"
        >
          Clear filters
        </button>
        <Suspense fallback={<span className="inline-block w-20" />}>
          <ShareLinkButton />
        </Suspense>
      </div>
      <fieldset className="flex flex-wrap items-center gap-1.5">
        <legend className="sr-only">State</legend>
        {INTENT_STATES.map((state) => {
          const isSelected = selectedStates.has(state);
          const tone = isTerminalState(state) ? "border-zinc-400" : "border-blue-300 border-dashed";
          return (
            <button
              key={state}
              type="button"
              aria-pressed={isSelected}
              onClick={() => toggleState(state)}
              className={`rounded-full border px-2 py-0.5 text-xs focus-visible:outline-2 focus-visible:outline-blue-600 ${tone} ${isSelected ? "bg-zinc-900 text-zinc-50" : "bg-surface text-zinc-700 hover:bg-zinc-50"}`}
            >
              {state}{" "}
              {facets ? (
                <span className={isSelected ? "text-zinc-300" : "text-zinc-600"}>{facets.state[state] ?? 0}</span>
              ) : null}
            </button>
          );
        })}
      </fieldset>
    </search>
  );
}
