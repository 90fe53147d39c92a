"use client";

import { type QueryClient, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Intent } from "@/lib/defix/intents";
import { queryKeys } from "@/lib/query/keys";
import { strategiesOptions } from "@/lib/query/strategies";

const NAMES_STALE_MS = 60_000;
const NO_NAMES: ReadonlyMap<string, string> = new Map();

/**
 * Each vault's list through its own `strategies` cache entry (the canvas's), so a list fetched there is
 * reused here and the other way round. A vault whose runner does not answer adds no names.
 */
async function fetchNames(client: QueryClient, vaultIds: readonly string[]): Promise<Record<string, string>> {
  const lists = await Promise.allSettled(
    vaultIds.map((vaultId) =>
      client.fetchQuery({ ...strategiesOptions(vaultId), staleTime: NAMES_STALE_MS, retry: false }),
    ),
  );
  const names: Record<string, string> = {};
  for (const list of lists) {
    if (list.status === "rejected") console.warn("strategy names unavailable", list.reason);
    else for (const strategy of list.value.strategies) names[strategy.strategy_id] = strategy.name;
  }
  return names;
}

/** Module-level, so the query re-runs it only when the names change and the map keeps its identity otherwise. */
const toMap = (names: Record<string, string>): ReadonlyMap<string, string> => new Map(Object.entries(names));

/**
 * What the console calls an intent's strategy, on every page (history row, detail): the runner's name
 * when known, else the id without its `{chainId}-{vault}-` prefix (the runner names its strategies
 * `{chainId}-{vault}-{lane}`, and the vault is shown beside it). The full id belongs in a title.
 */
export function strategyLabel(
  intent: Pick<Intent, "strategy_id" | "vault_id">,
  names?: ReadonlyMap<string, string>,
): string {
  if (intent.strategy_id === null) return "—";
  const name = names?.get(intent.strategy_id);
  if (name) return name;
  const vaultPrefix = `${intent.vault_id.replace(":", "-")}-`;
  return intent.strategy_id.startsWith(vaultPrefix) ? intent.strategy_id.slice(vaultPrefix.length) : intent.strategy_id;
}

/**
 * Display names of the runner's strategies on these vaults, by strategy id. Names change rarely, so
 * they are fetched once a minute; while the runner is unreachable the map is simply missing them and
 * callers show the id.
 */
export function useStrategyNames(vaultIds: readonly string[]): ReadonlyMap<string, string> {
  const client = useQueryClient();
  const names = useQuery({
    queryKey: queryKeys.strategyNames(vaultIds),
    queryFn: () => fetchNames(client, vaultIds),
    staleTime: NAMES_STALE_MS,
    retry: false,
    enabled: vaultIds.length > 0,
    select: toMap,
  });
  return names.data ?? NO_NAMES;
}
