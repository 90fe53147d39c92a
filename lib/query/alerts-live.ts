import { queryOptions, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { AlertChange, AlertList } from "@/lib/defix/alerts";
import { fetchJson, queryString } from "./fetcher";
import { invalidateAfterChange } from "./invalidate";
import { queryKeys } from "./keys";
import { connectSse, type StreamStatus } from "./sse";

// What the bell in every page's top bar needs, apart from the alerts page's code (`alerts.ts`).
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
        void invalidateAfterChange(queryClient, { queryKey: queryKeys.alerts.all });
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
