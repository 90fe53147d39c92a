"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useState } from "react";
import type { Address } from "viem";
import { Button } from "@/components/ui/button";
import { errorHint } from "@/lib/defix/error-hints";
import { shortHex } from "@/lib/format/hex";
import { queryKeys } from "@/lib/query/keys";
import {
  cancelRotation,
  completeRotation,
  EXPIRY_PRESETS,
  type ExpiryPreset,
  type KeyOperation,
} from "@/lib/query/session-keys";
import { waitForReadiness } from "./readiness-sync";
import { TransactionReview } from "./transaction-review";
import { type FlowPhase, useKeyTransaction } from "./use-key-transaction";
import { type VaultWalletTarget, WalletCheck } from "./wallet-check";

const VERB: Record<KeyOperation, string> = {
  grant: "Grant session key",
  rotation: "Rotate session key",
  revoke: "Revoke session key",
};
const FINISHING: Record<KeyOperation, string> = {
  grant: "Mined. Waiting for the OMS to see the new key…",
  rotation: "Mined. Completing the rotation…",
  revoke: "Mined. Waiting for the OMS to see the revocation…",
};

export interface KeyFlowPanelProps {
  operation: KeyOperation;
  vaultId: string;
  target: VaultWalletTarget;
  /** The key readiness reports active: a prepared rotation must replace exactly this one. */
  currentKey: Address | null;
  onDone?: () => void;
  /** The gate polls readiness faster while a signing panel is open. */
  onOpenChange?: (isOpen: boolean) => void;
}

/**
 * The signing panel: wallet checks, expiry preset, then one button that walks prepare → review the
 * decoded transaction → sign → mine → settle.
 */
export function KeyFlowPanel({ operation, vaultId, target, currentKey, onDone, onOpenChange }: KeyFlowPanelProps) {
  const queryClient = useQueryClient();
  const [expiry, setExpiry] = useState<ExpiryPreset>("168h");
  const onMined = useCallback(async () => {
    if (operation === "rotation") {
      await completeRotation(vaultId);
      await waitForReadiness(queryClient, vaultId, (r) => r.is_ready && !r.pending_rotation);
    } else {
      const wantReady = operation === "grant";
      await waitForReadiness(queryClient, vaultId, (r) => r.is_ready === wantReady);
    }
  }, [operation, vaultId, queryClient]);
  // A prepared rotation is pending in the OMS and blocks the next one until it is completed or cancelled.
  const onAbandon = useCallback(async () => {
    if (operation !== "rotation") return;
    await cancelRotation(vaultId);
    await queryClient.invalidateQueries({ queryKey: queryKeys.vaults.readiness(vaultId) });
  }, [operation, vaultId, queryClient]);
  const { phase, run, confirm, reset, abandon } = useKeyTransaction({
    vaultId,
    target,
    currentKey,
    onMined,
    onAbandon,
  });

  useEffect(() => {
    onOpenChange?.(true);
    return () => onOpenChange?.(false);
  }, [onOpenChange]);
  useEffect(() => {
    if (phase.step === "done") onDone?.();
  }, [phase.step, onDone]);

  const isBusy =
    phase.step === "preparing" ||
    phase.step === "reviewing" ||
    phase.step === "discarding" ||
    phase.step === "signing" ||
    phase.step === "confirming" ||
    phase.step === "finishing";
  return (
    <div className="flex flex-col gap-3" data-testid={`key-flow-${operation}`}>
      <WalletCheck target={target}>
        {operation !== "revoke" ? (
          <fieldset className="flex flex-wrap items-center gap-3 text-sm" disabled={isBusy}>
            <legend className="mb-1 text-xs font-medium text-zinc-600">Key expires after</legend>
            {EXPIRY_PRESETS.map((preset) => (
              <label key={preset.value} className="inline-flex items-center gap-1.5">
                <input
                  type="radio"
                  name={`expiry-${operation}`}
                  value={preset.value}
                  checked={expiry === preset.value}
                  onChange={() => setExpiry(preset.value)}
                />
                {preset.label}
              </label>
            ))}
          </fieldset>
        ) : null}
        <div className="flex items-center gap-2">
          <Button
            variant={operation === "revoke" ? "danger" : "primary"}
            disabled={isBusy}
            onClick={() => {
              // The flow never rejects: every failure becomes its `error` phase, shown below.
              void run(operation, operation === "revoke" ? undefined : expiry);
            }}
          >
            {phase.step === "error" ? `Try again: ${VERB[operation].toLowerCase()}` : VERB[operation]}
          </Button>
          {phase.step === "signing" ? (
            <Button variant="ghost" onClick={reset}>
              Cancel
            </Button>
          ) : null}
        </div>
        {phase.step === "reviewing" ? (
          <TransactionReview
            summary={phase.summary}
            onConfirm={() => {
              void confirm();
            }}
            onCancel={() => {
              void abandon();
            }}
          />
        ) : null}
      </WalletCheck>
      <FlowStatus phase={phase} operation={operation} />
    </div>
  );
}

function FlowStatus({ phase, operation }: { phase: FlowPhase; operation: KeyOperation }) {
  if (phase.step === "idle" || phase.step === "reviewing") return null;
  if (phase.step === "error") {
    const hint = phase.error.code ? errorHint(phase.error.code) : null;
    return (
      <div role="alert" data-error-kind={phase.error.kind} className="rounded-md bg-rose-50 p-2 text-sm text-rose-800">
        {hint ? (
          <p className="font-medium">
            {hint.title} <code className="text-xs">{phase.error.code}</code>
          </p>
        ) : null}
        <p className="break-words">{phase.error.message}</p>
        {hint ? <p className="mt-1">{hint.hint}</p> : null}
      </div>
    );
  }
  const text =
    phase.step === "preparing"
      ? "Preparing the transaction…"
      : phase.step === "discarding"
        ? "Discarding the prepared transaction…"
        : phase.step === "signing"
          ? "Confirm the transaction in your wallet…"
          : phase.step === "confirming"
            ? `Sent ${shortHex(phase.hash)}. Waiting for it to be mined…`
            : phase.step === "finishing"
              ? FINISHING[operation]
              : "Done.";
  return (
    <p role="status" aria-live="polite" className="text-sm text-zinc-700">
      {text}
    </p>
  );
}
