"use client";

import { SigningReview } from "@/components/ui/signing-review";
import type { LimitTxSummary } from "@/lib/chain/limit-tx";
import type { LimitPhase } from "./use-limit-transaction";

/** The decoded limit transaction before the wallet opens, then the flow's progress or error. */
export function LimitFlowStatus({
  phase,
  onConfirm,
  onCancel,
}: {
  phase: LimitPhase;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  if (phase.step === "reviewing")
    return <LimitReview summary={phase.summary} onConfirm={onConfirm} onCancel={onCancel} />;
  if (phase.step === "error") {
    return (
      <p role="alert" className="rounded-md bg-rose-50 p-2 text-sm text-rose-800">
        {phase.error.message}
      </p>
    );
  }
  const text = {
    idle: null,
    preparing: "Preparing the transaction…",
    signing: "Waiting for your wallet…",
    confirming: "Waiting for the transaction to confirm…",
    done: "Confirmed on-chain.",
  }[phase.step];
  return text ? (
    <p role="status" className="text-sm text-zinc-700">
      {text}
    </p>
  ) : null;
}

function LimitReview({
  summary,
  onConfirm,
  onCancel,
}: {
  summary: LimitTxSummary;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <SigningReview
      title={`${summary.contract.name}.${summary.functionName}`}
      testId="limit-review"
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      <p className="font-mono text-xs text-zinc-600">{summary.contract.address}</p>
      <ul className="mt-2 list-disc pl-5">
        {summary.lines.map((line) => (
          <li key={line} className="break-all">
            {line}
          </li>
        ))}
      </ul>
      <p className="mt-1 text-xs text-zinc-600">Sends no ETH.</p>
    </SigningReview>
  );
}
