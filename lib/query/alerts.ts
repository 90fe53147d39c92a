import { infiniteQueryOptions, queryOptions, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { type Alert, AlertChange, AlertList, AlertSettings, UnreadCount } from "@/lib/defix/alerts";
import { canvasHref, intentHref } from "@/lib/format/routes";
import { fetchJson, queryString } from "./fetcher";
import { queryKeys } from "./keys";
import { connectSse, type StreamStatus } from "./sse";

const BASE = "/api/oms/alerts";

/** The bell's list: newest alerts and the unread count; the live stream keeps it fresh, a slow poll backs it up. */
export function alertsOptions(limit = 10) {
  return queryOptions({
    queryKey: queryKeys.alerts.list({ limit }),
    queryFn: ({ signal }) => fetchJson(`${BASE}${queryString({ limit })}`, AlertList, { signal }),
    staleTime: 30_000,
    refetchInterval: 60_000,
  });
}

/** The alerts page: history by pages (cursor), filtered by state and vault. */
export function alertHistoryOptions(filters: { state?: "open" | "resolved"; vault_id?: string }) {
  const limit = 25;
  return infiniteQueryOptions({
    queryKey: queryKeys.alerts.list({ ...filters, limit }),
    queryFn: ({ signal, pageParam }) =>
      fetchJson(`${BASE}${queryString({ ...filters, limit, cursor: pageParam })}`, AlertList, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    staleTime: 30_000,
  });
}

export function markAlertRead(alertId: string) {
  return fetchJson(`${BASE}/${encodeURIComponent(alertId)}/read`, UnreadCount, { method: "POST" });
}

export function markAllAlertsRead() {
  return fetchJson(`${BASE}/read-all`, UnreadCount, {
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
    queryFn: ({ signal }) => fetchJson(settingsUrl(vaultId), AlertSettings, { signal }),
    staleTime: 60_000,
  });
}

/** Replaces the thresholds (the primary manager); answers the stored values. */
export function putAlertSettings(vaultId: string, settings: AlertSettings) {
  return fetchJson(settingsUrl(vaultId), AlertSettings, {
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

/**
 * Listens to `/api/oms/alerts/stream` while mounted: each `event: alert` refreshes every alert query
 * and is handed to `onAlert` (the bell announces it). Returns the stream's status.
 */
export function useAlertStream(onAlert: (change: AlertChange) => void): StreamStatus {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<StreamStatus>("connecting");
  useEffect(() => {
    let hasConnected = false;
    return connectSse({
      url: () => `${BASE}/stream`,
      onStatus: (next) => {
        setStatus(next);
        // After a reconnect the stream does not replay: refetch what may have changed meanwhile.
        if (next === "live") {
          if (hasConnected) void queryClient.invalidateQueries({ queryKey: queryKeys.alerts.all });
          hasConnected = true;
        }
      },
      onMessage: (message) => {
        if (message.event !== "alert") return;
        const parsed = AlertChange.safeParse(safeJson(message.data));
        if (!parsed.success) return;
        void queryClient.invalidateQueries({ queryKey: queryKeys.alerts.all });
        onAlert(parsed.data);
      },
    });
  }, [queryClient, onAlert]);
  return status;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null; // a frame that is not JSON is not an alert: the schema check drops it
  }
}
