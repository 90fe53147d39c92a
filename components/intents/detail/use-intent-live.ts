"use client";

import { type QueryClient, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import type { IntentEvent } from "@/lib/defix/events";
import type { Intent } from "@/lib/defix/intents";
import { queryKeys } from "@/lib/query/keys";
import { connectSse, type StreamStatus } from "@/lib/query/sse";
import { parseStreamEvent } from "../model/stream-event";
import { applyEvent, stateOfEvent } from "../model/transitions";

const TERMINAL_TYPES = new Set([
  "INTENT_COMPLETED",
  "INTENT_ABORTED",
  "INTENT_EXPIRED",
  "INTENT_FAILED",
  "INTENT_CANCELED",
]);
/** Events after which the fills or attempts lists have something new to show. */
const FILL_TYPES = new Set(["TX_MINED", "FILL_RECORDED", "INTENT_COMPLETED", "INTENT_FAILED"]);
const ATTEMPT_TYPES = new Set([
  "TX_SIGNED",
  "TX_BROADCAST",
  "TX_REPLACED",
  "TX_DROPPED",
  "TX_MINED",
  "INTENT_EXECUTING",
]);

export type DetailLiveStatus = StreamStatus | "done";

export function mergeEvents(existing: readonly IntentEvent[], incoming: readonly IntentEvent[]): IntentEvent[] {
  const bySeq = new Map(existing.map((event) => [event.seq_num, event]));
  for (const event of incoming) bySeq.set(event.seq_num, event);
  return [...bySeq.values()].sort((a, b) => a.seq_num - b.seq_num);
}

function lastSeq(client: QueryClient, id: string): number {
  return client.getQueryData<IntentEvent[]>(queryKeys.intents.events(id))?.at(-1)?.seq_num ?? 0;
}

function onEvent(client: QueryClient, id: string, event: IntentEvent): void {
  client.setQueryData<IntentEvent[]>(queryKeys.intents.events(id), (events) => mergeEvents(events ?? [], [event]));
  client.setQueryData<Intent>(queryKeys.intents.detail(id), (intent) => (intent ? applyEvent(intent, event) : intent));
  if (FILL_TYPES.has(event.message_type)) void client.invalidateQueries({ queryKey: queryKeys.intents.fills(id) });
  if (ATTEMPT_TYPES.has(event.message_type))
    void client.invalidateQueries({ queryKey: queryKeys.intents.attempts(id) });
  // The row's derived fields (size, gas, error text) come from the OMS projection.
  if (stateOfEvent(event)) void client.invalidateQueries({ queryKey: queryKeys.intents.detail(id), exact: true });
}

/**
 * Grows the event timeline live: streams `/events` after the last seq held, and on reconnect
 * resumes from there (both `after_seq` and `Last-Event-ID`), so nothing is missed or duplicated.
 * Stops once the terminal event arrives; never opens for an intent that is already terminal.
 */
export function useIntentLive(id: string, isTerminal: boolean | null, isEventsLoaded: boolean): DetailLiveStatus {
  const client = useQueryClient();
  const [status, setStatus] = useState<DetailLiveStatus>("connecting");
  const wasStreaming = useRef(false);
  useEffect(() => {
    if (isTerminal === null || !isEventsLoaded) return;
    if (isTerminal) {
      // It may have ended while the stream was not the one telling us (cancel answer, refetch):
      // the log, fills and attempts are fetched once more so the terminal evidence is shown.
      if (wasStreaming.current) {
        wasStreaming.current = false;
        for (const key of [queryKeys.intents.events(id), queryKeys.intents.fills(id), queryKeys.intents.attempts(id)]) {
          void client.invalidateQueries({ queryKey: key });
        }
      }
      setStatus("done");
      return;
    }
    wasStreaming.current = true;
    let close = () => {};
    close = connectSse({
      url: () => `/api/oms/intents/${encodeURIComponent(id)}/events?after_seq=${lastSeq(client, id)}`,
      lastEventId: () => String(lastSeq(client, id)),
      onMessage: (message) => {
        const event = parseStreamEvent(message.data);
        if (!event || event.intent_id !== id) return;
        onEvent(client, id, event);
        if (TERMINAL_TYPES.has(event.message_type)) {
          close();
          setStatus("done");
        }
      },
      onStatus: (next) => setStatus(next),
    });
    return () => close();
  }, [client, id, isTerminal, isEventsLoaded]);
  return status;
}
