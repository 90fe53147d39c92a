import { queryOptions } from "@tanstack/react-query";
import { z } from "zod";
import { Role } from "@/lib/defix/common";
import { type CostGroupBy, VaultCosts } from "@/lib/defix/costs";
import { IntentList } from "@/lib/defix/intents";
import { ChainHead } from "@/lib/defix/vaults";
import { fetchJson, queryString } from "./fetcher";
import { queryKeys } from "./keys";

/** `/api/me`: read leniently (extra fields allowed) since only address and vault roles matter here. */
export const Me = z.object({
  address: z.string(),
  vaults: z.array(z.object({ vault_id: z.string(), role: Role })),
});
export type Me = z.infer<typeof Me>;

export function meOptions() {
  return queryOptions({
    queryKey: queryKeys.me,
    queryFn: ({ signal }) => fetchJson("/api/me", Me, { signal }),
    staleTime: 60_000,
  });
}

/** The chain's latest block, polled while a page counts blocks (a transaction waiting for its receipt). */
export function chainHeadOptions() {
  return queryOptions({
    queryKey: queryKeys.chainHead,
    queryFn: ({ signal }) => fetchJson("/api/chain/head", ChainHead, { signal }),
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
        fetchJson(`/api/oms/intents${queryString({ vault_id: vaultId, limit: "1" })}`, IntentList, { signal }),
        fetchJson(
          `/api/oms/intents${queryString({ vault_id: vaultId, from: new Date(now - DAY_MS).toISOString(), limit: "500" })}`,
          IntentList,
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
      return fetchJson(
        `/api/oms/vaults/${encodeURIComponent(vaultId)}/costs${queryString({ from, to, group_by: groupBy })}`,
        VaultCosts,
        { signal },
      );
    },
    refetchInterval: 60_000,
  });
}
