"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { parseStreamEvent } from "@/components/intents/history/live-sync";
import type { IntentEvent } from "@/lib/defix/events";
import { queryString } from "@/lib/query/fetcher";
import { queryKeys } from "@/lib/query/keys";
import { connectSse } from "@/lib/query/sse";

/** Events after which the chain holds a new transaction of the vault: budget use and the key's gas changed. */
const OUTCOMES: ReadonlySet<IntentEvent["message_type"]> = new Set(["INTENT_COMPLETED", "INTENT_FAILED"]);
const SETTLE_MS = 300;

/**
 * Keeps the canvas's on-chain figures (budget bars, key balance: both from readiness) moving with the vault's
 * intents: the vault's event stream, and one readiness refetch per burst of outcomes. The 45 s poll stays the
 * fallback while the stream is down.
 */
export function useOutcomeRefresh(vaultId: string): void {
  const client = useQueryClient();
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const refresh = () => {
      timer = null;
      client
        .invalidateQueries({ queryKey: queryKeys.vaults.readiness(vaultId) })
        .catch((error: unknown) => console.warn("readiness refresh failed", error));
    };
    const close = connectSse({
      url: () => `/api/oms/stream${queryString({ vault_id: vaultId })}`,
      onMessage: (message) => {
        if (message.event === "reset" || timer !== null) return;
        const event = parseStreamEvent(message.data);
        if (event && OUTCOMES.has(event.message_type)) timer = setTimeout(refresh, SETTLE_MS);
      },
      onStatus: () => undefined,
    });
    return () => {
      close();
      if (timer !== null) clearTimeout(timer);
    };
  }, [client, vaultId]);
}
