"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import type { IntentEvent } from "@/lib/defix/events";
import { queryString } from "@/lib/query/fetcher";
import type { IntentFilters } from "@/lib/query/intent-filters";
import { queryKeys } from "@/lib/query/keys";
import { ACCESS_CHANGED_EVENT, connectSse } from "@/lib/query/sse";
import { LiveSync, parseStreamEvent } from "./live-sync";

export type LiveStatus = "connecting" | "live" | "stale";

const FLUSH_MS = 150;
const POLL_MS = 5000;
const CATCH_UP_AFTER_MS = 3000;

/**
 * Keeps the loaded history current: the BFF's event stream while it works, polling every 5 s while
 * it does not. Events are batched per animation-ish tick so a burst re-renders the table once.
 */
export function useLiveIntents(filters: IntentFilters): LiveStatus {
  const client = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>("connecting");
  const filtersRef = useRef(filters);
  filtersRef.current = filters;
  const vaultId = filters.vault_id ?? null;
  const sync = useMemo(() => new LiveSync(client, () => filtersRef.current), [client]);

  useEffect(() => {
    const buffer: IntentEvent[] = [];
    let timer: ReturnType<typeof setTimeout> | null = null;
    let wasStale = false;
    let hasPosition = false;
    const flush = () => {
      timer = null;
      const events = buffer.splice(0);
      if (events.length === 0) return;
      sync.applyBatch(events).catch((error: unknown) => console.warn("live update failed", error));
    };
    const close = connectSse({
      url: () => `/api/oms/stream${queryString({ vault_id: vaultId })}`,
      onMessage: (message) => {
        if (message.event === ACCESS_CHANGED_EVENT) {
          // A vault this user lost is gone from the stream; its loaded rows go with the refetch.
          sync.poll(true).catch((error: unknown) => console.warn("refetch after access change failed", error));
          return;
        }
        if (message.event === "reset") {
          // The OMS cannot replay from where this stream was (another database, or an old id): refetch.
          sync.poll(true).catch((error: unknown) => console.warn("refetch after reset failed", error));
          return;
        }
        if (message.id !== null) hasPosition = true;
        const event = parseStreamEvent(message.data);
        if (!event) return;
        buffer.push(event);
        timer ??= setTimeout(flush, FLUSH_MS);
      },
      onStatus: (next, failures) => {
        if (next === "live") {
          // A reconnect resumes after the last position this stream sent (connectSse sends it as
          // Last-Event-ID), so the OMS replays what was missed and nothing is refetched, however long
          // the outage. Before any position (a fresh mount: the cached list is kept across navigation;
          // or an outage before the first event), what happened meanwhile is fetched once.
          const listState = client.getQueryState(queryKeys.intents.list(filtersRef.current));
          const isCacheOld = (listState?.dataUpdatedAt ?? Date.now()) < Date.now() - CATCH_UP_AFTER_MS;
          if (!hasPosition && (wasStale || isCacheOld))
            sync.poll(true).catch((error: unknown) => console.warn("catch-up failed", error));
          wasStale = false;
          setStatus("live");
        } else if (failures > 0) {
          wasStale = true;
          setStatus("stale");
        }
      },
    });
    return () => {
      close();
      if (timer) clearTimeout(timer);
    };
  }, [client, sync, vaultId]);

  useEffect(() => {
    if (status !== "stale") return;
    const poll = () => sync.poll(true).catch((error: unknown) => console.warn("poll failed", error));
    const interval = setInterval(poll, POLL_MS);
    return () => clearInterval(interval);
  }, [sync, status]);

  return status;
}
