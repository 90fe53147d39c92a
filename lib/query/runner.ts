import { queryOptions } from "@tanstack/react-query";
import type { Strategy, StrategyList, StrategyPreview } from "@/lib/defix/strategies";
import { fetchJson, queryString } from "./fetcher";
import { queryKeys } from "./keys";

// Cards show the last intent of each strategy: refreshed often enough to watch a tick land.
export function strategiesOptions(vaultId: string) {
  return queryOptions({
    queryKey: queryKeys.vaults.strategies(vaultId),
    queryFn: ({ signal }) =>
      fetchJson<StrategyList>(`/api/runner/strategies${queryString({ vault_id: vaultId })}`, { signal }),
    staleTime: 2_000,
    refetchInterval: 3_000,
  });
}

const jsonPut = (body: unknown) => ({
  method: "PUT",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

export function setStrategyState(strategyId: string, state: Strategy["state"], expectedVersion: number) {
  return fetchJson<Strategy>(
    `/api/runner/strategies/${encodeURIComponent(strategyId)}/state`,
    jsonPut({ state, expected_version: expectedVersion }),
  );
}

export function setKillSwitch(vaultId: string, engaged: boolean) {
  return fetchJson<StrategyList>(`/api/runner/vaults/${encodeURIComponent(vaultId)}/kill-switch`, jsonPut({ engaged }));
}

// POST /api/runner/strategies/[id]/preview – the next tick's intent, refined by the OMS; nothing is created.
export function previewStrategy(strategyId: string) {
  return fetchJson<StrategyPreview>(`/api/runner/strategies/${encodeURIComponent(strategyId)}/preview`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  });
}
