"use client";

import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { isApiError, isRateLimited } from "./api-error";
import { queryKeys } from "./keys";
import type { Me } from "./vaults";

/**
 * A BFF 401 means the session is gone (expired or signed out elsewhere): back to sign-in, whatever the
 * page. Only the BFF's own errors count: wagmi shares this cache, and a wallet or RPC error is no session fact.
 */
function onError(error: unknown): void {
  if (isApiError(error) && error.status === 401) window.location.assign("/signin?reason=expired");
}

const MAX_RATE_LIMIT_WAIT_MS = 60_000;

/** One retry as before; a 429 is retried once after the wait the server named (capped), not at once. */
function retryDelay(attempt: number, error: unknown): number {
  if (isRateLimited(error) && error.retryAfterSeconds !== null) {
    return Math.min(error.retryAfterSeconds * 1000, MAX_RATE_LIMIT_WAIT_MS);
  }
  return Math.min(1000 * 2 ** attempt, 30_000);
}

export function createAppQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: { staleTime: 10_000, retry: 1, retryDelay, refetchOnWindowFocus: true },
    },
  });
}

/**
 * The app's one React Query client per browser tab, mounted above every authenticated page (and on the
 * sign-in page, its own document): every page, and wagmi on the pages that sign, read and invalidate the
 * same cache, so a change made on one page (a key granted on the canvas) is what the next page shows.
 * Holds no wallet code.
 *
 * `me` is what the layout already read on the server (address and vault roles): seeded into the cache so the
 * server render and the browser's hydration see the same `me`. Without it, the navigation's early fetch of
 * `/api/me` could land before a page's own boundary hydrates, and that page would hydrate with data the
 * server never rendered (React error 418).
 */
export function QueryProvider({ children, me }: { children: ReactNode; me?: Me }) {
  const [client] = useState(() => {
    const created = createAppQueryClient();
    if (me) created.setQueryData(queryKeys.me, me);
    return created;
  });
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
