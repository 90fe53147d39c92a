"use client";

import { useConnectModal } from "@rainbow-me/rainbowkit";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useAccount, useSignTypedData } from "wagmi";
import { Button } from "@/components/ui/button";
import { type ApprovalDecision, intentDecisionTypedData } from "@/lib/defix/approvals";
import type { Authorization } from "@/lib/defix/authorization";
import type { Intent } from "@/lib/defix/intents";
import { shortHex } from "@/lib/format/hex";
import { postIntentDecision } from "@/lib/query/approvals";
import { isApiError } from "@/lib/query/fetcher";
import { queryKeys } from "@/lib/query/keys";
import { TypedDataPreview } from "./typed-data-preview";

function failureText(error: unknown): string {
  if (isApiError(error)) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return error.message.split("\n")[0] ?? "signing failed";
  return "signing failed";
}

/**
 * Approve / Reject for one member: choose → the decoded IntentDecision (what the wallet will sign) →
 * "Open wallet to sign" → signTypedData → POST through the BFF → the queue refreshes.
 */
export function DecisionControl({
  intent,
  authorization,
  member,
}: {
  intent: Intent;
  authorization: Authorization;
  member: string;
}) {
  const facts = { ...intent, authorization };
  const [decision, setDecision] = useState<ApprovalDecision | null>(null);
  const { address, isConnected } = useAccount();
  const { openConnectModal } = useConnectModal();
  const { signTypedDataAsync } = useSignTypedData();
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: async (chosen: ApprovalDecision) => {
      const signature = await signTypedDataAsync(intentDecisionTypedData(chosen, facts));
      return postIntentDecision(intent.id, chosen, { member, signature });
    },
    onSuccess: async (updated) => {
      setDecision(null);
      queryClient.setQueryData(queryKeys.intents.detail(updated.id), updated);
      await queryClient.invalidateQueries({ queryKey: queryKeys.intents.all });
    },
  });

  if (!isConnected || !address) {
    return (
      <Button size="sm" variant="primary" onClick={() => openConnectModal?.()} disabled={!openConnectModal}>
        Connect wallet to sign
      </Button>
    );
  }
  if (address.toLowerCase() !== member.toLowerCase()) {
    return (
      <p role="status" className="text-xs text-amber-800">
        Connected {shortHex(address)} is not this member ({shortHex(member)}): switch account in the wallet.
      </p>
    );
  }
  if (decision === null) {
    return (
      <div className="flex gap-2">
        <Button size="sm" variant="primary" onClick={() => setDecision("approve")}>
          Approve
        </Button>
        <Button size="sm" variant="danger" onClick={() => setDecision("reject")}>
          Reject
        </Button>
      </div>
    );
  }
  const typed = intentDecisionTypedData(decision, facts);
  return (
    <div className="space-y-2">
      <TypedDataPreview
        title={decision === "approve" ? "approve this intent" : "reject this intent (it will be canceled)"}
        domain={typed.domain}
        message={typed.message}
      />
      <div className="flex flex-wrap items-center gap-2">
        <Button
          size="sm"
          variant={decision === "approve" ? "primary" : "danger"}
          disabled={mutation.isPending}
          onClick={() => mutation.mutate(decision)}
        >
          {mutation.isPending ? "Waiting for the wallet…" : "Open wallet to sign"}
        </Button>
        <Button size="sm" variant="ghost" disabled={mutation.isPending} onClick={() => setDecision(null)}>
          Back
        </Button>
        {mutation.isError ? (
          <span role="alert" className="text-xs text-rose-700">
            {failureText(mutation.error)}
          </span>
        ) : null}
      </div>
    </div>
  );
}
