"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import type { IntentEvent } from "@/lib/defix/events";
import { invalidateAfterChange } from "@/lib/query/invalidate";
import { queryKeys } from "@/lib/query/keys";
import { useIntentBus } from "@/lib/query/use-intent-bus";

/** Events after which the chain holds a new transaction of the vault: budget use and the key's gas changed. */
const OUTCOMES: ReadonlySet<IntentEvent["message_type"]> = new Set(["INTENT_COMPLETED", "INTENT_FAILED"]);
const SETTLE_MS = 300;

/**
 * Keeps the canvas's on-chain figures (budget bars, key balance: both from readiness) moving with the vault's
 * intents: the tab's intent event bus, and one readiness refetch per burst of the vault's outcomes (or after
 * a gap in what the stream told). Readiness's own 45 s poll stays the fallback while the stream is down.
 */
export function useOutcomeRefresh(vaultId: string): void {
  const client = useQueryClient();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const settle = () => {
    timer.current ??= setTimeout(() => {
      timer.current = null;
      invalidateAfterChange(client, { queryKey: queryKeys.vaults.readiness(vaultId) }).catch((error: unknown) =>
        console.warn("readiness refresh failed", error),
      );
    }, SETTLE_MS);
  };
  useEffect(
    () => () => {
      if (timer.current !== null) clearTimeout(timer.current);
      timer.current = null;
    },
    [],
  );
  useIntentBus({
    onEvent: (event) => {
      if (event.vault_id === vaultId && OUTCOMES.has(event.message_type)) settle();
    },
    onGap: settle,
    onConnect: ({ resumed, afterOutage }) => {
      if (afterOutage && !resumed) settle();
    },
  });
}
