import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import type { Alert, AlertList, AlertSettings, UnreadCount } from "@/lib/defix/alerts";
import { canvasHref, intentHref } from "@/lib/format/routes";
import { fetchJson, queryString } from "./fetcher";
import { queryKeys } from "./keys";

// The alerts page, the bell's panel and the threshold settings; the bell itself reads `alerts-live.ts`.
const BASE = "/api/oms/alerts";

/** The alerts page: history by pages (cursor), filtered by state and vault. */
export function alertHistoryOptions(filters: { state?: "open" | "resolved"; vault_id?: string }) {
  const limit = 25;
  return infiniteQueryOptions({
    queryKey: queryKeys.alerts.list({ ...filters, limit }),
    queryFn: ({ signal, pageParam }) =>
      fetchJson<AlertList>(`${BASE}${queryString({ ...filters, limit, cursor: pageParam })}`, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    staleTime: 30_000,
  });
}

export function markAlertRead(alertId: string) {
  return fetchJson<UnreadCount>(`${BASE}/${encodeURIComponent(alertId)}/read`, { method: "POST" });
}

export function markAllAlertsRead() {
  return fetchJson<UnreadCount>(`${BASE}/read-all`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({}),
  });
}

const settingsUrl = (vaultId: string) => `/api/oms/vaults/${encodeURIComponent(vaultId)}/alert-settings`;

/** A vault's effective alert thresholds (managers read them). */
export function alertSettingsOptions(vaultId: string) {
  return queryOptions({
    queryKey: queryKeys.alerts.settings(vaultId),
    queryFn: ({ signal }) => fetchJson<AlertSettings>(settingsUrl(vaultId), { signal }),
    staleTime: 60_000,
  });
}

/** Replaces the thresholds (the primary manager); answers the stored values. */
export function putAlertSettings(vaultId: string, settings: AlertSettings) {
  return fetchJson<AlertSettings>(settingsUrl(vaultId), {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(settings),
  });
}

/** Where an alert leads: its intent, else the vault's canvas (key, gas and kill-switch alerts). */
export function alertHref(alert: Pick<Alert, "intent_id" | "vault_id" | "kind">): string {
  if (alert.intent_id) return intentHref(alert.intent_id);
  const canvas = canvasHref(alert.vault_id);
  return isKeyExpiryAlert(alert) ? `${canvas}?renew=1` : canvas;
}

export function isKeyExpiryAlert(alert: Pick<Alert, "kind">): boolean {
  return alert.kind === "SESSION_KEY_EXPIRES_24H" || alert.kind === "SESSION_KEY_EXPIRES_1H";
}
