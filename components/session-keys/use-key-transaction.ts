"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { useSendTransaction, useWaitForTransactionReceipt } from "wagmi";
import { type ExpiryPreset, fetchPreparedTransaction, type KeyOperation } from "@/lib/query/session-keys";
import { classifyFlowError, type FlowError } from "./wallet-errors";

export type FlowPhase =
  | { step: "idle" }
  | { step: "preparing" }
  | { step: "signing" }
  | { step: "confirming"; hash: `0x${string}` }
  | { step: "finishing"; hash: `0x${string}` }
  | { step: "done"; hash: `0x${string}` }
  | { step: "error"; error: FlowError };

/** A wallet can sit on a prompt forever; after this the flow gives the manager their controls back. */
const SIGNING_TIMEOUT_MS = 120_000;
const RECEIPT_TIMEOUT_MS = 60_000;

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(Object.assign(new Error(message), { name: "TimeoutError" })), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/**
 * prepare (BFF calldata) → sign and send in the wallet → wait for the receipt → `onMined` (e.g. complete
 * the rotation, refresh readiness) → done. Every step ends in `done` or an `error` with a retry.
 */
export function useKeyTransaction(options: {
  vaultId: string;
  chainId: number;
  onMined: (hash: `0x${string}`) => Promise<void>;
}) {
  const { vaultId, chainId, onMined } = options;
  const [phase, setPhase] = useState<FlowPhase>({ step: "idle" });
  const runId = useRef(0);
  const { sendTransactionAsync } = useSendTransaction();
  const hash = phase.step === "confirming" ? phase.hash : undefined;
  const receipt = useWaitForTransactionReceipt({
    hash,
    chainId,
    timeout: RECEIPT_TIMEOUT_MS,
    query: { enabled: !!hash },
  });

  const run = useCallback(
    async (operation: KeyOperation, expiry?: ExpiryPreset) => {
      const id = ++runId.current;
      const update = (next: FlowPhase) => {
        if (runId.current === id) setPhase(next);
      };
      try {
        update({ step: "preparing" });
        const prepared = await fetchPreparedTransaction(vaultId, operation, expiry);
        update({ step: "signing" });
        const sent = await withTimeout(
          sendTransactionAsync({ to: prepared.to, data: prepared.data, value: BigInt(prepared.value), chainId }),
          SIGNING_TIMEOUT_MS,
          "the wallet did not answer",
        );
        update({ step: "confirming", hash: sent });
      } catch (error) {
        update({ step: "error", error: classifyFlowError(error) });
      }
    },
    [vaultId, chainId, sendTransactionAsync],
  );

  useEffect(() => {
    if (!hash) return;
    const id = runId.current;
    const update = (next: FlowPhase) => {
      if (runId.current === id) setPhase(next);
    };
    if (receipt.isSuccess) {
      update({ step: "finishing", hash });
      onMined(hash).then(
        () => update({ step: "done", hash }),
        (error: unknown) => update({ step: "error", error: classifyFlowError(error) }),
      );
    } else if (receipt.isError) {
      const isTimeout = receipt.error.name === "WaitForTransactionReceiptTimeoutError";
      update({
        step: "error",
        error: isTimeout
          ? {
              kind: "timeout",
              message: "The transaction did not confirm within a minute. Check your wallet, then retry.",
            }
          : {
              kind: "reverted",
              message: "The transaction reverted on-chain. Nothing changed; check the account and retry.",
            },
      });
    }
  }, [hash, receipt.isSuccess, receipt.isError, receipt.error, onMined]);

  const reset = useCallback(() => {
    runId.current++;
    setPhase({ step: "idle" });
  }, []);

  return { phase, run, reset };
}
