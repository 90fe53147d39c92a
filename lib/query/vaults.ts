import { queryOptions } from "@tanstack/react-query";
import type { Role } from "@/lib/defix/common";
import type { ChainHead } from "@/lib/defix/vaults";
import { fetchJson } from "./fetcher";
import { queryKeys } from "./keys";

/** `/api/me` (answered by the BFF itself from the chain's registry): only address and vault roles matter here. */
export interface Me {
  address: string;
  vaults: { vault_id: string; role: Role }[];
}

export function meOptions() {
  return queryOptions({
    queryKey: queryKeys.me,
    queryFn: ({ signal }) => fetchJson<Me>("/api/me", { signal }),
    staleTime: 60_000,
  });
}

/** The chain's latest block, polled while a page counts blocks (a transaction waiting for its receipt). */
export function chainHeadOptions() {
  return queryOptions({
    queryKey: queryKeys.chainHead,
    queryFn: ({ signal }) => fetchJson<ChainHead>("/api/chain/head", { signal }),
    refetchInterval: 2_000,
    staleTime: 1_000,
    retry: false,
  });
}

export function isManagerRole(role: Role | undefined): boolean {
  return role === "PRIMARY_MANAGER" || role === "SECONDARY_MANAGER";
}
