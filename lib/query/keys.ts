import type { IntentFilters } from "./intent-filters";

/**
 * Every query key of the console, in one namespace (the app has one React Query client: see
 * provider.tsx). Keys are arrays so a prefix invalidates a whole family: `queryKeys.intents.all`
 * refreshes every list, detail, event log and fill list; `queryKeys.vaults.one(id)` a whole canvas.
 */
export const queryKeys = {
  me: ["me"] as const,
  chainHead: ["chain", "head"] as const,
  vaults: {
    all: ["vaults"] as const,
    one: (vaultId: string) => ["vaults", vaultId] as const,
    readiness: (vaultId: string) => ["vaults", vaultId, "readiness"] as const,
    sessionKeyHistory: (vaultId: string) => ["vaults", vaultId, "session-key-history"] as const,
    strategies: (vaultId: string) => ["vaults", vaultId, "strategies"] as const,
    stats: (vaultId: string) => ["vaults", vaultId, "stats"] as const,
    costs: (vaultId: string, range: { days: number; groupBy: string }) => ["vaults", vaultId, "costs", range] as const,
    webhooks: (vaultId: string) => ["vaults", vaultId, "webhooks"] as const,
    approvalPolicy: (vaultId: string) => ["vaults", vaultId, "approval-policy"] as const,
  },
  /** Strategy display names of a set of vaults, read through each vault's `strategies` entry (strategy-names.ts). */
  strategyNames: (vaultIds: readonly string[]) => ["strategy-names", ...vaultIds] as const,
  webhooks: {
    deliveries: (webhookId: string) => ["webhooks", webhookId, "deliveries"] as const,
  },
  alerts: {
    all: ["alerts"] as const,
    list: (filters: { state?: string; vault_id?: string; limit: number }) => ["alerts", "list", filters] as const,
    /** Outside `alerts.all`: a live alert refreshes the lists, not the thresholds. */
    settings: (vaultId: string) => ["alert-settings", vaultId] as const,
  },
  /** Every pending intent of the user's vaults (the Approvals queue and the nav badge). */
  approvalsQueue: ["intents", "approvals", "pending"] as const,
  intents: {
    all: ["intents"] as const,
    lists: ["intents", "list"] as const,
    list: (filters: IntentFilters) => ["intents", "list", filters] as const,
    detail: (id: string) => ["intents", "detail", id] as const,
    events: (id: string) => ["intents", "detail", id, "events"] as const,
    fills: (id: string) => ["intents", "detail", id, "fills"] as const,
    attempts: (id: string) => ["intents", "detail", id, "attempts"] as const,
    proof: (id: string, headSeq: number) => ["intents", "detail", id, "proof", headSeq] as const,
  },
} as const;
