"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type { Address } from "viem";
import { useSendTransaction, useWaitForTransactionReceipt } from "wagmi";
import { checkPreparedTransaction, type KeyTxSummary } from "@/lib/chain/prepared-tx";
import type { PreparedTransaction } from "@/lib/defix/session-keys";
import { type ExpiryPreset, fetchPreparedTransaction, type KeyOperation } from "@/lib/query/session-keys";
import { keyTxExpectation } from "./key-expectation";
import type { VaultWalletTarget } from "./wallet-check";
import { classifyFlowError, type FlowError, preparedRejection } from "./wallet-errors";

export type FlowPhase =
  | { step: "idle" }
  | { step: "preparing" }
  | { step: "reviewing"; summary: KeyTxSummary }
  | { step: "discarding" }
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

interface Reviewed {
  runId: number;
  prepared: PreparedTransaction;
  operation: KeyOperation;
  expiry: ExpiryPreset | undefined;
}

/**
 * prepare (BFF calldata) → check it in the browser and show what it does → the manager confirms →
 * sign and send in the wallet → wait for the receipt → `onMined` (e.g. complete the rotation, refresh
 * readiness) → done. Every step ends in `done` or an `error` with a retry; a refused transaction never
 * reaches the wallet.
 */
export function useKeyTransaction(options: {
  vaultId: string;
  target: VaultWalletTarget;
  /** The key readiness reports active: the only key a rotation may replace. */
  currentKey: Address | null;
  onMined: (hash: `0x${string}`) => Promise<void>;
  /** The manager backed out at the review: undo what preparing left in the OMS (a pending rotation). */
  onAbandon?: () => Promise<void>;
}) {
  const { vaultId, target, currentKey, onMined, onAbandon } = options;
  const chainId = target.chainId;
  const [phase, setPhase] = useState<FlowPhase>({ step: "idle" });
  const runId = useRef(0);
  const reviewed = useRef<Reviewed | null>(null);
  const { sendTransactionAsync } = useSendTransaction();
  const hash = phase.step === "confirming" ? phase.hash : undefined;
  const receipt = useWaitForTransactionReceipt({
    hash,
    chainId,
    timeout: RECEIPT_TIMEOUT_MS,
    query: { enabled: !!hash },
  });

  const check = useCallback(
    (pending: Omit<Reviewed, "runId">) =>
      checkPreparedTransaction(pending.prepared, keyTxExpectation({ ...pending, target, currentKey, now: new Date() })),
    [target, currentKey],
  );

  /** A refused transaction is never sent, so what its prepare left pending (a rotation) is discarded too. */
  const refusedAndDiscarded = useCallback(
    async (reason: string): Promise<FlowError> => {
      const refusal = preparedRejection(reason);
      try {
        await onAbandon?.();
        return refusal;
      } catch {
        return {
          ...refusal,
          message: `${refusal.message} What the OMS prepared is still pending there: cancel it before trying again.`,
        };
      }
    },
    [onAbandon],
  );

  const run = useCallback(
    async (operation: KeyOperation, expiry?: ExpiryPreset) => {
      const id = ++runId.current;
      reviewed.current = null;
      const update = (next: FlowPhase) => {
        if (runId.current === id) setPhase(next);
      };
      try {
        update({ step: "preparing" });
        const prepared = await fetchPreparedTransaction(vaultId, operation, expiry);
        const result = check({ prepared, operation, expiry });
        if (!result.ok) return update({ step: "error", error: await refusedAndDiscarded(result.reason) });
        if (runId.current !== id) return;
        reviewed.current = { runId: id, prepared, operation, expiry };
        update({ step: "reviewing", summary: result.summary });
      } catch (error) {
        update({ step: "error", error: classifyFlowError(error) });
      }
    },
    [vaultId, check, refusedAndDiscarded],
  );

  /** The manager read the summary and asked for the wallet: send exactly the checked transaction. */
  const confirm = useCallback(async () => {
    const pending = reviewed.current;
    if (!pending || pending.runId !== runId.current) return;
    reviewed.current = null;
    const id = pending.runId;
    const update = (next: FlowPhase) => {
      if (runId.current === id) setPhase(next);
    };
    // Checked again: the expiry may have passed, or the active key changed, while the summary was open.
    const result = check(pending);
    if (!result.ok) return update({ step: "error", error: await refusedAndDiscarded(result.reason) });
    try {
      update({ step: "signing" });
      const sent = await withTimeout(
        sendTransactionAsync(result.summary.tx),
        SIGNING_TIMEOUT_MS,
        "the wallet did not answer",
      );
      update({ step: "confirming", hash: sent });
    } catch (error) {
      update({ step: "error", error: classifyFlowError(error) });
    }
  }, [check, sendTransactionAsync, refusedAndDiscarded]);

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
    reviewed.current = null;
    setPhase({ step: "idle" });
  }, []);

  /** Cancel at the review: nothing was sent, so what the prepare left pending can go. */
  const abandon = useCallback(async () => {
    const id = ++runId.current;
    reviewed.current = null;
    const update = (next: FlowPhase) => {
      if (runId.current === id) setPhase(next);
    };
    // Busy until the OMS has discarded it, so a quick second click does not meet the pending one.
    update({ step: "discarding" });
    try {
      await onAbandon?.();
      update({ step: "idle" });
    } catch (error) {
      update({ step: "error", error: classifyFlowError(error) });
    }
  }, [onAbandon]);

  return { phase, run, confirm, reset, abandon };
}
