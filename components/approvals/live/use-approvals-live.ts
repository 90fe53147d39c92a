"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useSyncExternalStore } from "react";
import { type ApprovalsLiveStatus, approvalsStream } from "./approvals-stream";

/** Keeps the approvals queue live while the component is mounted; says whether it is (see approvals-stream.ts). */
export function useApprovalsLive(): ApprovalsLiveStatus {
  const client = useQueryClient();
  const subscribe = useCallback((onChange: () => void) => approvalsStream.subscribe(client, onChange), [client]);
  return useSyncExternalStore(subscribe, approvalsStream.getStatus, () => "connecting");
}
