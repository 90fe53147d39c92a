"use client";

import { type UseQueryResult, useQueries } from "@tanstack/react-query";
import type { z } from "zod";
import type { Intent } from "@/lib/defix/intents";
import type { StrategyList } from "@/lib/defix/strategies";
import { strategiesOptions } from "@/lib/query/runner";

type Lists = UseQueryResult<z.infer<typeof StrategyList>>[];

/** Module-level, so useQueries re-runs it only when a result changes and the map keeps its identity otherwise. */
function namesOf(results: Lists): ReadonlyMap<string, string> {
  const names = new Map<string, string>();
  for (const result of results) {
    for (const strategy of result.data?.strategies ?? []) names.set(strategy.strategy_id, strategy.name);
  }
  return names;
}

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
  return useQueries({
    queries: vaultIds.map((vaultId) => ({
      ...strategiesOptions(vaultId),
      staleTime: 60_000,
      refetchInterval: false as const,
      retry: false,
    })),
    combine: namesOf,
  });
}
