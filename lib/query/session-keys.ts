import { queryOptions } from "@tanstack/react-query";
import type { PreparedTransaction, Readiness, SessionKeyHistory } from "@/lib/defix/session-keys";
import { fetchJson, queryString } from "./fetcher";
import { queryKeys } from "./keys";

const base = (vaultId: string) => `/api/oms/vaults/${encodeURIComponent(vaultId)}/session-key`;

/**
 * The one definition of readiness, for every page that shows it (overview, history, detail, canvas).
 * Product rule: polled every 45 s and stale after 25 s; every 20 s while the signing popover is open,
 * so a key granted or revoked elsewhere shows up while the manager is mid-flow.
 */
export function readinessOptions(vaultId: string, { isSigningOpen = false }: { isSigningOpen?: boolean } = {}) {
  return queryOptions({
    queryKey: queryKeys.vaults.readiness(vaultId),
    queryFn: ({ signal }) => fetchJson<Readiness>(`${base(vaultId)}/readiness`, { signal }),
    staleTime: isSigningOpen ? 20_000 : 25_000,
    refetchInterval: isSigningOpen ? 20_000 : 45_000,
  });
}

export function sessionKeyHistoryOptions(vaultId: string) {
  return queryOptions({
    queryKey: queryKeys.vaults.sessionKeyHistory(vaultId),
    queryFn: ({ signal }) => fetchJson<SessionKeyHistory>(`${base(vaultId)}/history`, { signal }),
    staleTime: 10_000,
  });
}

/** Durations the OMS accepts as `requested_expiry`. */
export const EXPIRY_PRESETS = [
  { label: "24 hours", value: "24h" },
  { label: "7 days", value: "168h" },
  { label: "30 days", value: "720h" },
] as const;
export type ExpiryPreset = (typeof EXPIRY_PRESETS)[number]["value"];

export type KeyOperation = "grant" | "rotation" | "revoke";

/** Calldata for the manager's wallet; fetching it changes nothing on-chain. */
export function fetchPreparedTransaction(vaultId: string, operation: KeyOperation, expiry?: ExpiryPreset) {
  const query = operation === "revoke" ? "" : queryString({ requested_expiry: expiry });
  return fetchJson<PreparedTransaction>(`${base(vaultId)}/${operation}${query}`);
}

const post = () => ({ method: "POST" });

/**
 * The OMS checks the chain itself (no tx hash needed, and its route takes no body);
 * `409 ROTATION_NOT_ON_CHAIN` when the new key is not valid on-chain yet.
 */
export function completeRotation(vaultId: string) {
  return fetchJson<unknown>(`${base(vaultId)}/rotation/complete`, post());
}

export function cancelRotation(vaultId: string) {
  return fetchJson<unknown>(`${base(vaultId)}/rotation/cancel`, post());
}
