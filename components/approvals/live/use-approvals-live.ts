"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useSyncExternalStore } from "react";
import { intentBus, type LiveStatus } from "@/lib/query/intent-bus";

/**
 * Keeps the approvals queue live while the component is mounted; says whether it is (see approvals-stream.ts). The
 * queue's live code loads after the page (every page carries the nav's badge, none is for it); subscribing late loses
 * nothing: joining the tab's connection refreshes the queue. The tab's connection itself opens at once (a bare
 * subscription held until the queue's own one is in): the page's other live views (an intent's timeline, the history)
 * join a stream that is already connecting instead of waiting for this code to load.
 */
export function useApprovalsLive(): LiveStatus {
  const client = useQueryClient();
  const subscribe = useCallback(
    (onChange: () => void) => {
      let release: (() => void) | null = null;
      let isLeft = false;
      const holdConnection = intentBus.subscribe({});
      import("./approvals-stream")
        .then(({ approvalsStream }) => {
          if (isLeft) return;
          release = approvalsStream.subscribe(client, onChange);
          holdConnection();
          // A status change while the code loaded was not heard: read it again.
          onChange();
        })
        .catch((error: unknown) => console.warn("approvals live updates failed to load", error));
      return () => {
        isLeft = true;
        holdConnection();
        release?.();
      };
    },
    [client],
  );
  return useSyncExternalStore(subscribe, intentBus.getStatus, () => "connecting");
}
