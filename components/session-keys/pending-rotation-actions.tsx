"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { queryKeys } from "@/lib/query/keys";
import { cancelRotation, completeRotation } from "@/lib/query/session-keys";
import { classifyFlowError } from "./wallet-errors";

/** Finish (the OMS checks the chain) or discard a prepared rotation. */
export function PendingRotationActions({ vaultId }: { vaultId: string }) {
  const queryClient = useQueryClient();
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: queryKeys.vaults.readiness(vaultId) });
    await queryClient.invalidateQueries({ queryKey: queryKeys.vaults.sessionKeyHistory(vaultId) });
  };
  const complete = useMutation({ mutationFn: () => completeRotation(vaultId), onSuccess: refresh });
  const cancel = useMutation({ mutationFn: () => cancelRotation(vaultId), onSuccess: refresh });
  const failure = complete.error ?? cancel.error;
  const isBusy = complete.isPending || cancel.isPending;
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap gap-2">
        <Button variant="primary" size="sm" disabled={isBusy} onClick={() => complete.mutate()}>
          {complete.isPending ? "Completing…" : "Complete rotation"}
        </Button>
        <Button size="sm" disabled={isBusy} onClick={() => cancel.mutate()}>
          {cancel.isPending ? "Cancelling…" : "Cancel rotation"}
        </Button>
      </div>
      {failure ? (
        <p role="alert" className="text-sm text-rose-800">
          {classifyFlowError(failure).message}
        </p>
      ) : null}
    </div>
  );
}
