"use client";

import { useEffect, useRef, useSyncExternalStore } from "react";
import { type IntentBusSubscriber, intentBus, type LiveStatus } from "./intent-bus";

/**
 * Subscribes to the tab's intent event bus while mounted and returns its shared status. The handlers
 * may change every render (they are read through a ref); `resubscribeKey` starts a fresh subscription
 * (and so a fresh `onConnect`) when what the caller follows changes, e.g. the history's vault filter.
 */
export function useIntentBus(subscriber: IntentBusSubscriber, resubscribeKey = ""): LiveStatus {
  const current = useRef(subscriber);
  current.current = subscriber;
  const everyMs = subscriber.fallback?.everyMs ?? null;
  useEffect(() => {
    // The key is a dependency on purpose: a new key means a new subscription.
    void resubscribeKey;
    return intentBus.subscribe({
      onEvent: (event) => current.current.onEvent?.(event),
      onGap: (gap) => current.current.onGap?.(gap),
      onConnect: (connect) => current.current.onConnect?.(connect),
      fallback: everyMs === null ? undefined : { everyMs, run: () => current.current.fallback?.run() },
    });
  }, [resubscribeKey, everyMs]);
  return useSyncExternalStore(intentBus.watchStatus, intentBus.getStatus, () => "connecting");
}
