import type { LimitRequest } from "@/lib/chain/limit-tx";
import type { PreparedTransaction } from "@/lib/defix/session-keys";
import { fetchJson } from "./fetcher";

/** Prepared calldata for an on-chain limit change (issue 20); fetching it changes nothing on-chain. */
export function fetchLimitTransaction(vaultId: string, request: LimitRequest) {
  const url = `/api/oms/vaults/${encodeURIComponent(vaultId)}/limits/${request.kind}`;
  const body =
    request.kind === "budget"
      ? request.budget
      : request.kind === "guardian"
        ? { guardian: request.guardian, enabled: request.enabled }
        : undefined;
  return fetchJson<PreparedTransaction>(url, {
    method: "POST",
    ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
}
