"use client";

import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";

/** A BFF 401 means the session is gone (expired or signed out elsewhere): back to sign-in, whatever the page. */
function onError(error: unknown): void {
  const isUnauthenticated =
    typeof error === "object" && error !== null && (error as { status?: unknown }).status === 401;
  if (isUnauthenticated) window.location.assign("/signin?reason=expired");
}

/** React Query for the authenticated pages (no wallet code). One client per browser tab. */
export function QueryProvider({ children }: { children: ReactNode }) {
  const [client] = useState(
    () =>
      new QueryClient({
        queryCache: new QueryCache({ onError }),
        mutationCache: new MutationCache({ onError }),
        defaultOptions: {
          queries: { staleTime: 10_000, retry: 1, refetchOnWindowFocus: true },
        },
      }),
  );
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
