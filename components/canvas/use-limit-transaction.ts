"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { useSendTransaction, useWaitForTransactionReceipt } from "wagmi";
import type { VaultWalletTarget } from "@/components/session-keys/wallet-check";
import { classifyFlowError, type FlowError, preparedRejection } from "@/components/session-keys/wallet-errors";
import { checkLimitTransaction, type LimitRequest, type LimitTxSummary } from "@/lib/chain/limit-tx";
import { queryKeys } from "@/lib/query/keys";
import { fetchLimitTransaction } from "@/lib/query/limits";

export type LimitPhase =
  | { step: "idle" }
  | { step: "preparing" }
  | { step: "reviewing"; summary: LimitTxSummary }
  | { step: "signing" }
  | { step: "confirming"; hash: `0x${string}` }
  | { step: "done"; hash: `0x${string}` }
  | { step: "error"; error: FlowError };

/**
 * prepare (BFF calldata) → check it in the browser against what the manager asked → decoded preview → the
 * manager confirms → wallet → receipt → readiness and key history refresh. As the key flow, for limits.
 */
export function useLimitTransaction(vaultId: string, target: VaultWalletTarget) {
  const queryClient = useQueryClient();
  const [phase, setPhase] = useState<LimitPhase>({ step: "idle" });
  const reviewed = useRef<LimitTxSummary | null>(null);
  const { sendTransactionAsync } = useSendTransaction();
  const hash = phase.step === "confirming" ? phase.hash : undefined;
  const receipt = useWaitForTransactionReceipt({ hash, chainId: target.chainId, query: { enabled: !!hash } });

  const run = useCallback(
    async (request: LimitRequest) => {
      reviewed.current = null;
      setPhase({ step: "preparing" });
      try {
        const prepared = await fetchLimitTransaction(vaultId, request);
        const check = checkLimitTransaction(prepared, request, target);
        if (!check.ok) return setPhase({ step: "error", error: preparedRejection(check.reason) });
        reviewed.current = check.summary;
        setPhase({ step: "reviewing", summary: check.summary });
      } catch (error) {
        setPhase({ step: "error", error: classifyFlowError(error) });
      }
    },
    [vaultId, target],
  );

  const confirm = useCallback(async () => {
    const summary = reviewed.current;
    if (!summary) return;
    reviewed.current = null;
    setPhase({ step: "signing" });
    try {
      setPhase({ step: "confirming", hash: await sendTransactionAsync(summary.tx) });
    } catch (error) {
      setPhase({ step: "error", error: classifyFlowError(error) });
    }
  }, [sendTransactionAsync]);

  useEffect(() => {
    if (!hash) return;
    if (receipt.isSuccess) {
      setPhase({ step: "done", hash });
      void Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.vaults.readiness(vaultId) }),
        queryClient.invalidateQueries({ queryKey: queryKeys.vaults.sessionKeyHistory(vaultId) }),
      ]);
    } else if (receipt.isError) {
      setPhase({
        step: "error",
        error: { kind: "reverted", message: "The transaction reverted on-chain. Nothing changed; retry." },
      });
    }
  }, [hash, receipt.isSuccess, receipt.isError, queryClient, vaultId]);

  const reset = useCallback(() => {
    reviewed.current = null;
    setPhase({ step: "idle" });
  }, []);

  return { phase, run, confirm, reset };
}
