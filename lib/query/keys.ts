import type { IntentFilters } from "./intent-filters";

/**
 * Every query key of the console, in one namespace. Keys are arrays so a prefix invalidates a
 * whole family: `queryKeys.intents.all` refreshes every list, detail, event log and fill list.
 */
export const queryKeys = {
  me: ["me"] as const,
  chainHead: ["chain", "head"] as const,
  vaults: {
    all: ["vaults"] as const,
    readiness: (vaultId: string) => ["vaults", vaultId, "readiness"] as const,
    stats: (vaultId: string) => ["vaults", vaultId, "stats"] as const,
  },
  intents: {
    all: ["intents"] as const,
    lists: ["intents", "list"] as const,
    list: (filters: IntentFilters) => ["intents", "list", filters] as const,
    facets: (filters: IntentFilters) => ["intents", "facets", filters] as const,
    detail: (id: string) => ["intents", "detail", id] as const,
    events: (id: string) => ["intents", "detail", id, "events"] as const,
    fills: (id: string) => ["intents", "detail", id, "fills"] as const,
    attempts: (id: string) => ["intents", "detail", id, "attempts"] as const,
  },
} as const;
