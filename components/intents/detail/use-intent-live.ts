"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import { intentBus, type LiveStatus } from "@/lib/query/intent-bus";
import { fetchEventsAfter } from "@/lib/query/intent-detail";
import { invalidateAfterChange } from "@/lib/query/invalidate";
import { queryKeys } from "@/lib/query/keys";
import { followIntent } from "./intent-follower";

export type DetailLiveStatus = "connecting" | "live" | "reconnecting" | "done";

const SHOWN: Record<LiveStatus, DetailLiveStatus> = { connecting: "connecting", live: "live", stale: "reconnecting" };

/**
 * Grows the event timeline live from the tab's intent bus (`followIntent`), once the log has loaded; never
 * follows an intent that is already terminal, and stops at its terminal event.
 */
export function useIntentLive(id: string, isTerminal: boolean | null, isEventsLoaded: boolean): DetailLiveStatus {
  const client = useQueryClient();
  const [isDone, setDone] = useState(false);
  const [isFollowing, setFollowing] = useState(false);
  const wasFollowing = useRef(false);
  const busStatus = useSyncExternalStore(intentBus.watchStatus, intentBus.getStatus, (): LiveStatus => "connecting");
  useEffect(() => {
    if (isTerminal === null || !isEventsLoaded) return;
    if (isTerminal) {
      // It may have ended while the bus was not the one telling us (cancel answer, refetch):
      // the log, fills and attempts are fetched once more so the terminal evidence is shown.
      if (wasFollowing.current) {
        wasFollowing.current = false;
        for (const key of [queryKeys.intents.events(id), queryKeys.intents.fills(id), queryKeys.intents.attempts(id)]) {
          void invalidateAfterChange(client, { queryKey: key });
        }
      }
      setDone(true);
      return;
    }
    wasFollowing.current = true;
    setDone(false);
    setFollowing(true);
    const stop = followIntent({
      client,
      id,
      bus: intentBus,
      fetchAfter: (afterSeq) => fetchEventsAfter(id, afterSeq),
      onDone: () => setDone(true),
    });
    return () => {
      stop();
      setFollowing(false);
    };
  }, [client, id, isTerminal, isEventsLoaded]);
  if (isDone) return "done";
  return isFollowing ? SHOWN[busStatus] : "connecting";
}
