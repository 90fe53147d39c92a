import { queryOptions } from "@tanstack/react-query";
import type { IntentList } from "@/lib/defix/intents";
import { fetchJson, queryString } from "./fetcher";
import { queryKeys } from "./keys";

// The overview's per-vault numbers (apart from `vaults.ts`, which every page's navigation reads).

const DAY_MS = 86_400_000;

/**
 * Per-vault numbers for the overview: facet counts of all intents (in flight), and the last 24 h
 * (outcomes + up to 500 rows to measure time-to-complete and draw the hourly chart).
 */
export function vaultStatsOptions(vaultId: string) {
  return queryOptions({
    queryKey: queryKeys.vaults.stats(vaultId),
    queryFn: async ({ signal }) => {
      const now = Date.now();
      const [all, lastDay] = await Promise.all([
        fetchJson<IntentList>(`/api/oms/intents${queryString({ vault_id: vaultId, limit: "1" })}`, { signal }),
        fetchJson<IntentList>(
          `/api/oms/intents${queryString({ vault_id: vaultId, from: new Date(now - DAY_MS).toISOString(), limit: "500" })}`,
          { signal },
        ),
      ]);
      return { now, allStates: all.facets.state, lastDay };
    },
    refetchInterval: 15_000,
  });
}
