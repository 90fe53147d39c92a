import { queryOptions } from "@tanstack/react-query";
import type {
  ApprovalDecision,
  ApprovalDecisionRequest,
  ApprovalPolicyState,
  PutApprovalPolicyRequest,
} from "@/lib/defix/approvals";
import type { Intent } from "@/lib/defix/intents";
import { fetchJson } from "./fetcher";
import { queryKeys } from "./keys";

const DECISION_PATH: Record<ApprovalDecision, string> = { approve: "approvals", reject: "rejections" };

/** POST /api/oms/intents/[id]/approvals | rejections: a member's signed decision. */
export function postIntentDecision(id: string, decision: ApprovalDecision, body: ApprovalDecisionRequest) {
  return fetchJson<Intent>(`/api/oms/intents/${encodeURIComponent(id)}/${DECISION_PATH[decision]}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

export function approvalPolicyOptions(vaultId: string) {
  return queryOptions({
    queryKey: queryKeys.vaults.approvalPolicy(vaultId),
    queryFn: ({ signal }) =>
      fetchJson<ApprovalPolicyState>(`/api/oms/vaults/${encodeURIComponent(vaultId)}/approval-policy`, { signal }),
  });
}

/** PUT /api/oms/vaults/[vaultId]/approval-policy: a new version, signed by the primary manager's wallet. */
export function putApprovalPolicy(vaultId: string, body: PutApprovalPolicyRequest) {
  return fetchJson<ApprovalPolicyState>(`/api/oms/vaults/${encodeURIComponent(vaultId)}/approval-policy`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}
