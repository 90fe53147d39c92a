import { queryOptions } from "@tanstack/react-query";
import type { IntentList } from "@/lib/defix/intents";
import { fetchJson, queryString } from "./fetcher";
import { queryKeys } from "./keys";

/**
 * Every intent of the user's vaults waiting for its quorum (`approval_status=pending`), shared by the
 * Approvals page, the navigation badge and the canvas counts (one cache entry). It is kept current by the
 * intent event stream (`components/approvals/live`), not by polling.
 */
export function approvalsQueueOptions() {
  return queryOptions({
    queryKey: queryKeys.approvalsQueue,
    queryFn: async ({ signal }) =>
      (
        await fetchJson<IntentList>(`/api/oms/intents${queryString({ approval_status: "pending", limit: "500" })}`, {
          signal,
        })
      ).data,
    staleTime: 1_000,
  });
}
