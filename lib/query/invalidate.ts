import type { InvalidateQueryFilters, QueryClient } from "@tanstack/react-query";

/**
 * `invalidateQueries` for a change the server has already made (an event said so). React Query joins a query that
 * has no data yet to the fetch it is running instead of starting another, and that fetch may have been read before
 * the change: a detail page's fills, first asked for while its transaction was out, answered "none" after the
 * FILL_RECORDED event arrived, and nothing asked again. Such a first fetch is cancelled (its query goes back to
 * pending), so the refetch reads after the change; queries holding data are refetched as `invalidateQueries` does.
 */
export async function invalidateAfterChange(client: QueryClient, filters: InvalidateQueryFilters): Promise<void> {
  const isFirstFetchOut = client
    .getQueryCache()
    .findAll(filters)
    .some((query) => query.state.fetchStatus === "fetching" && query.state.data === undefined);
  if (isFirstFetchOut) await client.cancelQueries(filters);
  await client.invalidateQueries(filters);
}
