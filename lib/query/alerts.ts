import { infiniteQueryOptions, queryOptions, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { Alert, AlertChange, AlertList, AlertSettings, UnreadCount } from "@/lib/defix/alerts";
import { canvasHref, intentHref } from "@/lib/format/routes";
import { fetchJson, queryString } from "./fetcher";
import { queryKeys } from "./keys";
import { connectSse, type StreamStatus } from "./sse";

const BASE = "/api/oms/alerts";

/** The bell's list: newest alerts and the unread count; the live stream keeps it fresh, a slow poll backs it up. */
export function alertsOptions(limit = 10) {
  return queryOptions({
    queryKey: queryKeys.alerts.list({ limit }),
    queryFn: ({ signal }) => fetchJson<AlertList>(`${BASE}${queryString({ limit })}`, { signal }),
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
        const change = alertChangeOf(message.data);
        if (!change) return;
        void queryClient.invalidateQueries({ queryKey: queryKeys.alerts.all });
        onAlert(change);
      },
    });
  }, [queryClient, onAlert]);
  return status;
}

/**
 * An `alert` frame's data. The BFF checked it against the contract's `AlertChange` (lib/bff/sse-check.ts),
 * so only the JSON is read here: zod stays out of the pages.
 */
function alertChangeOf(text: string): AlertChange | null {
  try {
    const json: unknown = JSON.parse(text);
    return typeof json === "object" && json !== null && "alert" in json && "change" in json
      ? (json as AlertChange)
      : null;
  } catch {
    return null; // a frame that is not JSON is not an alert
  }
}
