import { queryOptions } from "@tanstack/react-query";
import type { Role } from "@/lib/defix/common";
import type { CostGroupBy, VaultCosts } from "@/lib/defix/costs";
import type { IntentList } from "@/lib/defix/intents";
import type { ChainHead } from "@/lib/defix/vaults";
import { fetchJson, queryString } from "./fetcher";
import { queryKeys } from "./keys";

/** `/api/me` (answered by the BFF itself from the chain's registry): only address and vault roles matter here. */
export interface Me {
  address: string;
  vaults: { vault_id: string; role: Role }[];
}

export function meOptions() {
  return queryOptions({
    queryKey: queryKeys.me,
    queryFn: ({ signal }) => fetchJson<Me>("/api/me", { signal }),
    staleTime: 60_000,
  });
}

/** The chain's latest block, polled while a page counts blocks (a transaction waiting for its receipt). */
export function chainHeadOptions() {
  return queryOptions({
    queryKey: queryKeys.chainHead,
    queryFn: ({ signal }) => fetchJson<ChainHead>("/api/chain/head", { signal }),
    refetchInterval: 2_000,
    staleTime: 1_000,
    retry: false,
  });
}

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

export function isManagerRole(role: Role | undefined): boolean {
  return role === "PRIMARY_MANAGER" || role === "SECONDARY_MANAGER";
}

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
