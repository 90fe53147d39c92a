import { queryOptions } from "@tanstack/react-query";
import type { StrategyList } from "@/lib/defix/strategies";
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
