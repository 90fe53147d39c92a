import { queryOptions } from "@tanstack/react-query";
import type { CostGroupBy, VaultCosts } from "@/lib/defix/costs";
import { fetchJson, queryString } from "./fetcher";
import { queryKeys } from "./keys";

// A vault's gas costs page (apart from `vaults.ts`, which every page's navigation reads).

const DAY_MS = 86_400_000;

/**
 * Gas spent by a vault's automation over the last `days` (UTC day boundaries, today included), from
 * receipts. Refreshed every minute: costs change only when transactions mine.
 */
export function vaultCostsOptions(vaultId: string, days: number, groupBy: CostGroupBy) {
  return queryOptions({
    queryKey: queryKeys.vaults.costs(vaultId, { days, groupBy }),
    queryFn: ({ signal }) => {
      const today = Date.parse(new Date().toISOString().slice(0, 10));
      const from = new Date(today - (days - 1) * DAY_MS).toISOString();
      const to = new Date(today + DAY_MS).toISOString();
      return fetchJson<VaultCosts>(
        `/api/oms/vaults/${encodeURIComponent(vaultId)}/costs${queryString({ from, to, group_by: groupBy })}`,
        { signal },
      );
    },
    refetchInterval: 60_000,
  });
}
