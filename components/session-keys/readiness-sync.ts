"use client";

import type { QueryClient } from "@tanstack/react-query";
import type { Readiness } from "@/lib/defix/session-keys";
import { queryKeys } from "@/lib/query/keys";
import { readinessOptions } from "@/lib/query/session-keys";

const POLL_MS = 1_000;

/**
 * After a key transaction mines, the OMS may answer from a cache of up to 5 s: poll readiness until it
 * shows the change, so the gate moves exactly when the OMS agrees. Bounded, never an endless spinner.
 */
export async function waitForReadiness(
  queryClient: QueryClient,
  vaultId: string,
  isSettled: (readiness: Readiness) => boolean,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await queryClient.invalidateQueries({ queryKey: queryKeys.vaults.readiness(vaultId) });
    const readiness = await queryClient.fetchQuery({
      ...readinessOptions(vaultId, { isSigningOpen: true }),
      staleTime: 0,
    });
    if (isSettled(readiness)) break;
    if (Date.now() > deadline) {
      throw new Error("The transaction mined, but the OMS does not show the change yet. Refresh in a moment.");
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  await queryClient.invalidateQueries({ queryKey: queryKeys.vaults.sessionKeyHistory(vaultId) });
}
