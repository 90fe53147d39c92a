"use client";

import { useConnectModal } from "@rainbow-me/rainbowkit";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useAccount, useSignTypedData } from "wagmi";
import { Button } from "@/components/ui/button";
import { LoadError } from "@/components/ui/load-error";
import { SkeletonRows } from "@/components/ui/skeleton-rows";
import { type ApprovalPolicy, approvalPolicyTypedData } from "@/lib/defix/approvals";
import { approvalPolicyOptions, putApprovalPolicy } from "@/lib/query/approvals";
import { isApiError } from "@/lib/query/fetcher";
import { queryKeys } from "@/lib/query/keys";
import { TypedDataPreview } from "../typed-data-preview";
import { PolicyFields } from "./policy-fields";
import { formFromPolicy, type PolicyForm, policyFromForm } from "./policy-form";
import { PolicyHistory } from "./policy-history";

function failureText(error: unknown): string {
  if (isApiError(error)) return `${error.code}: ${error.message}`;
  return error instanceof Error ? (error.message.split("\n")[0] ?? "saving failed") : "saving failed";
}

/** The vault's approval policy: the one in force, its versions, and (primary manager) a signed edit. */
export function PolicyEditor({ vaultId, canEdit }: { vaultId: string; canEdit: boolean }) {
  const state = useQuery(approvalPolicyOptions(vaultId));
  const [form, setForm] = useState<PolicyForm | null>(null);
  const [review, setReview] = useState<{ policy: ApprovalPolicy | null } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const { address, isConnected } = useAccount();
  const { openConnectModal } = useConnectModal();
  const { signTypedDataAsync } = useSignTypedData();
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: async (policy: ApprovalPolicy | null) => {
      if (!state.data || !address) throw new Error("the policy is not loaded or no wallet is connected");
      const version = state.data.version + 1;
      const typed = approvalPolicyTypedData(vaultId, version, state.data.head_hash, policy);
      const signature = await signTypedDataAsync(typed);
      return putApprovalPolicy(vaultId, { policy, version, signer: address, signature });
    },
    onSuccess: async () => {
      setReview(null);
      setForm(null);
      await queryClient.invalidateQueries({ queryKey: queryKeys.vaults.approvalPolicy(vaultId) });
    },
  });

  if (state.isPending) return <SkeletonRows rows={4} label="Loading the approval policy" />;
  if (state.isError)
    return <LoadError what="the approval policy" error={state.error} onRetry={() => void state.refetch()} />;
  const current = state.data;
  const editing = form ?? formFromPolicy(current.policy);
  const typed = review ? approvalPolicyTypedData(vaultId, current.version + 1, current.head_hash, review.policy) : null;

  return (
    <div className="space-y-4">
      <h1 className="text-lg font-semibold">Approval policy</h1>
      <p className="text-sm" data-testid="policy-in-force">
        {current.policy
          ? `In force: version ${current.version}, “${current.policy.display_name}”, ${current.policy.threshold} signature(s) needed.`
          : "No policy: intents run without approval."}
      </p>
      {canEdit ? (
        <section aria-labelledby="edit-title" className="space-y-3 rounded-lg border border-zinc-200 bg-surface p-4">
          <h2 id="edit-title" className="font-semibold">
            Edit (signed in your wallet)
          </h2>
          <PolicyFields form={editing} onChange={(next) => setForm(next)} disabled={review !== null} />
          {problem ? (
            <p role="alert" className="text-sm text-rose-700">
              {problem}
            </p>
          ) : null}
          {typed ? (
            <div className="space-y-2">
              <TypedDataPreview
                title={review?.policy ? `set policy version ${current.version + 1}` : "remove the policy"}
                domain={typed.domain}
                message={typed.message}
              />
              {!isConnected ? (
                <Button variant="primary" onClick={() => openConnectModal?.()} disabled={!openConnectModal}>
                  Connect wallet to sign
                </Button>
              ) : (
                <Button variant="primary" disabled={save.isPending} onClick={() => save.mutate(review?.policy ?? null)}>
                  {save.isPending ? "Waiting for the wallet…" : "Open wallet to sign"}
                </Button>
              )}{" "}
              <Button variant="ghost" disabled={save.isPending} onClick={() => setReview(null)}>
                Back
              </Button>
              {save.isError ? (
                <p role="alert" className="text-sm text-rose-700">
                  {failureText(save.error)}
                </p>
              ) : null}
            </div>
          ) : (
            <div className="flex gap-2">
              <Button
                variant="primary"
                onClick={() => {
                  const result = policyFromForm(editing);
                  if ("error" in result) setProblem(result.error);
                  else {
                    setProblem(null);
                    setReview({ policy: result.policy });
                  }
                }}
              >
                Review and sign
              </Button>
              {current.policy ? (
                <Button variant="danger" onClick={() => setReview({ policy: null })}>
                  Remove policy
                </Button>
              ) : null}
            </div>
          )}
        </section>
      ) : (
        <p className="text-xs text-zinc-600">Only the vault's primary manager changes the policy.</p>
      )}
      <PolicyHistory history={current.history} />
    </div>
  );
}
