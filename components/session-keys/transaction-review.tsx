"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ReviewRow as Row, SigningReview } from "@/components/ui/signing-review";
import type { KeyTxSummary } from "@/lib/chain/prepared-tx";
import { formatTokenAmount } from "@/lib/format/amount";
import { formatDuration } from "@/lib/format/duration";
import { formatExact } from "@/lib/format/time";

interface TransactionReviewProps {
  summary: KeyTxSummary;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * What the wallet is about to be asked to sign, decoded in the browser from the checked calldata, so
 * the manager confirms the call, not a hex blob. Focus moves here when it opens; Escape cancels.
 */
export function TransactionReview({ summary, onConfirm, onCancel }: TransactionReviewProps) {
  const isRevoke = summary.functionName === "revokeSessionKey";
  return (
    <SigningReview
      title={`${summary.contract.name}.${summary.functionName}`}
      testId="transaction-review"
      onConfirm={onConfirm}
      onCancel={onCancel}
      isDestructive={isRevoke}
    >
      <dl className="mt-2 grid grid-cols-[max-content_1fr] gap-x-3 gap-y-1">
        <Row label="Contract">
          {summary.contract.name} <Address value={summary.contract.address} />
        </Row>
        <Row label="Vault">
          <Address value={summary.strategy} />
        </Row>
        <Row label={isRevoke ? "Key revoked" : "Session key"}>
          <Address value={summary.key} />
        </Row>
        {summary.replacedKey ? (
          <Row label="Replaces key">
            <Address value={summary.replacedKey} />
          </Row>
        ) : null}
        {summary.expiry ? <Row label="Expires">{expiryText(summary.expiry)}</Row> : null}
        {summary.permissions ? <Row label="Permissions">{summary.permissions.names.join(", ")}</Row> : null}
        <Row label="ETH">
          <ForwardedEth wei={summary.valueWei} />
        </Row>
      </dl>
    </SigningReview>
  );
}

function Address({ value }: { value: string }) {
  return <code className="break-all font-mono text-xs">{value}</code>;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/**
 * Rounded to the last unit shown: the OMS dates the expiry from the latest block, which may be a
 * minute old, and a 7-day key should read "in 7 d", not "in 6 d 23 h". The exact date stands beside it.
 */
function expiryText(expiry: Date): string {
  const ms = expiry.getTime() - Date.now();
  const unit = ms >= DAY_MS ? HOUR_MS : MINUTE_MS;
  return `${formatExact(expiry.toISOString())} (in ${formatDuration(Math.round(ms / unit) * unit)})`;
}

/** ETH in words; the exact wei one (keyboard-reachable) click away. */
function ForwardedEth({ wei }: { wei: bigint }) {
  const [isWei, setIsWei] = useState(false);
  if (wei === 0n) return <span>None: no ETH leaves your wallet</span>;
  return (
    <span>
      Forwards <strong>{formatTokenAmount(wei, 18, 6)} ETH</strong> from your wallet to the key{" "}
      <Button size="sm" variant="ghost" aria-pressed={isWei} onClick={() => setIsWei(!isWei)}>
        {isWei ? "Hide wei" : "Show wei"}
      </Button>
      {isWei ? <code className="font-mono text-xs">{wei.toString()} wei</code> : null}
    </span>
  );
}
